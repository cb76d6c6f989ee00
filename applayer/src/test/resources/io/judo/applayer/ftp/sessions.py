"""A real FTP session for FtpOracleTest: Python's ftplib, the client, talks to a small FTP server written here on
socketserver (login, SYST, FEAT with a multi-line reply, PWD, CWD, TYPE, SIZE, PASV, EPSV, PORT, EPRT, LIST, NLST,
RETR, STOR, an unknown command, QUIT), with real data connections on loopback in passive and in active mode. The
server records the control connection's bytes as they went over the wire, in order; a pcap of them is written for
tshark.

Usage: sessions.py OUTDIR
Output lines, in wire order: CASE name pcap | FLIGHT dir base64 (the control connection; dir 0: client to server)
              | DATA initiator-port acceptor-port dir base64 (a data connection on 127.0.0.1, between its 150 and
                226 replies; dir 0: from the side that connected)
"""
import base64, ftplib, io, os, socket, socketserver, sys, threading
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
import pcapwriter  # noqa: E402

FILES = {'readme.txt': b'hello from judo\r\n' * 20, 'data.bin': bytes(range(256)) * 8}
flights = []
done = threading.Event()


def record(d, data):
    if flights and flights[-1][0] == d and not isinstance(d, str):
        flights[-1][1] += data
    else:
        flights.append([d, bytearray(data)])


class Control(socketserver.StreamRequestHandler):
    def reply(self, text):
        data = text.encode() + b'\r\n'
        record(1, data)
        self.wfile.write(data)

    def data_socket(self):
        if self.passive is not None:
            conn, _ = self.passive.accept()
            self.passive.close()
            self.passive = None
            self.active = None
            return conn
        return socket.create_connection(self.active)

    def data_record(self, conn, body, received):
        """One data connection's bytes: sent by this server, or received from the client."""
        mine, peer = conn.getsockname()[1], conn.getpeername()[1]
        initiator, acceptor = (peer, mine) if self.active is None else (mine, peer)
        # the bytes go from the server to the client unless received; from the initiator when that is their sender
        sender_is_initiator = (initiator == peer) == received
        flights.append(['DATA', '%d %d %d' % (initiator, acceptor, 0 if sender_is_initiator else 1), bytes(body)])

    def handle(self):
        self.passive = None
        self.active = None
        self.reply('220-Judo test FTP server\r\n220 ready')
        while True:
            line = self.rfile.readline()
            if not line:
                break
            record(0, line)
            text = line.decode('latin-1').rstrip('\r\n')
            verb, _, arg = text.partition(' ')
            verb = verb.upper()
            if verb == 'USER':
                self.reply('331 Please specify the password.')
            elif verb == 'PASS':
                self.reply('230 Login successful.')
            elif verb == 'SYST':
                self.reply('215 UNIX Type: L8')
            elif verb == 'FEAT':
                self.reply('211-Features:\r\n EPRT\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End')
            elif verb == 'PWD':
                self.reply('257 "/" is the current directory')
            elif verb == 'CWD':
                self.reply('250 Directory successfully changed.')
            elif verb == 'TYPE':
                self.reply('200 Switching to Binary mode.')
            elif verb == 'SIZE':
                self.reply('213 %d' % len(FILES.get(arg, b'')) if arg in FILES else '550 Could not get file size.')
            elif verb in ('PASV', 'EPSV'):
                s = socket.socket()
                s.bind(('127.0.0.1', 0))
                s.listen(1)
                self.passive = s
                p = s.getsockname()[1]
                if verb == 'PASV':
                    self.reply('227 Entering Passive Mode (127,0,0,1,%d,%d).' % (p >> 8, p & 255))
                else:
                    self.reply('229 Entering Extended Passive Mode (|||%d|)' % p)
            elif verb == 'PORT':
                n = arg.split(',')
                self.active = ('.'.join(n[:4]), int(n[4]) * 256 + int(n[5]))
                self.reply('200 PORT command successful. Consider using PASV.')
            elif verb == 'EPRT':
                f = arg[1:].split(arg[0])
                self.active = (f[1], int(f[2]))
                self.reply('200 EPRT command successful. Consider using EPSV.')
            elif verb in ('LIST', 'NLST', 'RETR'):
                if verb == 'RETR' and arg not in FILES:
                    self.reply('550 Failed to open file.')
                    continue
                self.reply('150 Here comes the data.')
                conn = self.data_socket()
                body = FILES[arg] if verb == 'RETR' else ''.join(n + '\r\n' for n in FILES).encode()
                conn.sendall(body)
                self.data_record(conn, body, False)
                conn.close()
                self.reply('226 Transfer complete.')
            elif verb == 'STOR':
                self.reply('150 Ok to send data.')
                conn = self.data_socket()
                got = b''
                while True:
                    b = conn.recv(65536)
                    if not b:
                        break
                    got += b
                self.data_record(conn, got, True)
                conn.close()
                FILES[arg] = got
                self.reply('226 Transfer complete.')
            elif verb == 'QUIT':
                self.reply('221 Goodbye.')
                break
            else:
                self.reply('500 Unknown command.')
        done.set()


server = socketserver.TCPServer(('127.0.0.1', 0), Control)
threading.Thread(target=server.serve_forever, daemon=True).start()
c = ftplib.FTP()
c.connect('127.0.0.1', server.server_address[1], timeout=10)
c.login('judo', 'secret pass')
c.sendcmd('SYST')
c.sendcmd('FEAT')
c.pwd()
c.cwd('/pub dir')
c.voidcmd('TYPE I')
c.size('readme.txt')
c.retrbinary('RETR readme.txt', io.BytesIO().write)
c.nlst()
c.sendcmd('EPSV')  # announced, then replaced by the PASV before STOR
c.storbinary('STOR upload one.bin', io.BytesIO(b'\x00\x01' * 500))
c.set_pasv(False)
c.retrlines('LIST', lambda line: None)
c.retrbinary('RETR data.bin', io.BytesIO().write)
try:
    c.sendcmd('XNOTACMD with args')
except ftplib.error_perm:
    pass
try:
    c.retrbinary('RETR missing.txt', io.BytesIO().write)
except ftplib.error_perm:
    pass
c.quit()
done.wait(10)
server.shutdown()

path = os.path.join(sys.argv[1], 'ftp.pcap')
pcapwriter.write(path, [f for f in flights if f[0] != 'DATA'], 21, 1400)
print('CASE ftp', path)
for f in flights:
    if f[0] == 'DATA':
        print('DATA', f[1], base64.b64encode(f[2]).decode())
    else:
        print('FLIGHT', f[0], base64.b64encode(bytes(f[1])).decode())
