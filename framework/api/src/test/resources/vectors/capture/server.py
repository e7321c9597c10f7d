import socket, struct, fcntl, ctypes, time, sys
# python3 server.py [6]: the server end of client.py's capture.
V6 = sys.argv[1:] == ['6']
FAMILY = socket.AF_INET6 if V6 else socket.AF_INET
ADDRESS = 'fd00:250::2' if V6 else '10.250.0.2'
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ev = ctypes.create_string_buffer(struct.pack('II', 0x17, 0))
fcntl.ioctl(s.fileno(), 0x8946, struct.pack('16sP', b'vB', ctypes.addressof(ev)))
u = socket.socket(FAMILY, socket.SOCK_DGRAM); u.bind((ADDRESS, 45679))
srv = socket.socket(FAMILY); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((ADDRESS, 45678)); srv.listen(1)
a, _ = srv.accept()
d = a.recv(100)
a.sendall(b'world\n')
a.recv(100)
a.close()
time.sleep(2 if V6 else 1)
