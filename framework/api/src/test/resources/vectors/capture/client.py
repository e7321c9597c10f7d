import socket, struct, fcntl, ctypes, threading, time, sys, subprocess
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
def capture():
    end = time.time() + 4
    while time.time() < end:
        try:
            data, addr = cap.recvfrom(65535)
        except socket.timeout:
            continue
        if struct.unpack('!H', data[12:14])[0] != 0x0800: continue
        pkts.append(data[14:])
t = threading.Thread(target=capture); t.start()
time.sleep(0.3)
c = socket.create_connection(('10.250.0.2', 45678))
time.sleep(0.1)
c.sendall(b'hello rsock\n')
time.sleep(0.1)
print('# got', c.recv(100))
time.sleep(0.1)
c.close(); time.sleep(0.3)
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u2.bind(('10.250.0.1', 40001)); u2.sendto(b'udp datagram\n', ('10.250.0.2', 45679))
time.sleep(0.2)
t.join()
for p in pkts:
    print(p.hex())
