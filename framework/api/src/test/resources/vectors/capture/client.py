import socket, struct, fcntl, ctypes, threading, time, sys, subprocess
# python3 client.py [6]: the IPv4 capture (10.250.0.1 -> 10.250.0.2), or with 6 the IPv6 one
# (fd00:250::1 -> fd00:250::2, which also pings the server).
V6 = sys.argv[1:] == ['6']
FAMILY = socket.AF_INET6 if V6 else socket.AF_INET
LOCAL, PEER = ('fd00:250::1', 'fd00:250::2') if V6 else ('10.250.0.1', '10.250.0.2')
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def ethtool(dev, cmd, data=0):
    ev = ctypes.create_string_buffer(struct.pack('II', cmd, data))
    ifr = struct.pack('16sP', dev.encode(), ctypes.addressof(ev))
    fcntl.ioctl(s.fileno(), 0x8946, ifr)
    return struct.unpack('II', ev.raw[:8])
ethtool('vA', 0x17, 0)
print('# vA txcsum', ethtool('vA', 0x16))
cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
cap.bind(('vA', 0))
cap.settimeout(0.5)
pkts = []
def wanted(ip):
    if not V6:
        return True
    return ip[6] in (6, 17) or ip[6] == 58 and ip[40] in (128, 129)  # not the neighbour discovery around them
def capture():
    end = time.time() + (5 if V6 else 4)
    while time.time() < end:
        try:
            data, addr = cap.recvfrom(65535)
        except socket.timeout:
            continue
        if struct.unpack('!H', data[12:14])[0] != (0x86DD if V6 else 0x0800): continue
        if wanted(data[14:]):
            pkts.append(data[14:])
t = threading.Thread(target=capture); t.start()
time.sleep(0.3)
c = socket.create_connection((PEER, 45678))
time.sleep(0.1)
c.sendall(b'hello rsock\n')
time.sleep(0.1)
print('# got', c.recv(100))
time.sleep(0.1)
c.close(); time.sleep(0.3)
u2 = socket.socket(FAMILY, socket.SOCK_DGRAM); u2.bind((LOCAL, 40001)); u2.sendto(b'udp datagram\n', (PEER, 45679))
time.sleep(0.2)
if V6:
    subprocess.run(['ping', '-6', '-c', '1', '-s', '24', '-p', '7273636b', PEER], capture_output=True)
    time.sleep(0.3)
t.join()
for p in pkts:
    print(p.hex())
