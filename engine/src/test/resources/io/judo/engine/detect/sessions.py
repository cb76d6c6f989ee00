"""Real SMTP and SSH sessions for TextProtocolDetectionTest: Python's smtplib sends a mail to Python's smtpd server,
and the OpenSSH client opens a connection to a server that sends an identification string and reads the client's
identification and key-exchange init. Each session runs on loopback through a recording relay; this script writes
what went over the wire, per direction and in order.

Output lines: CASE name | FLIGHT dir base64 (dir 0: client to server) | ATTACHMENT filename base64 (the mail's) | SHA256 filename hex
"""
import base64, hashlib, socket, subprocess, sys, threading, time, warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)


def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(1)
    return s


class Relay:
    """Accepts one client, connects it to the upstream port and records each read of either side."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.sock = listener()
        self.port = self.sock.getsockname()[1]
        self.flights = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def pump(self, src, dst, direction):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b''
            if not data:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            with self.lock:
                if self.flights and self.flights[-1][0] == direction:
                    self.flights[-1][1] += data
                else:
                    self.flights.append([direction, data])
            dst.sendall(data)

    def run(self):
        client, _ = self.sock.accept()
        server = socket.create_connection(('127.0.0.1', self.upstream))
        a = threading.Thread(target=self.pump, args=(client, server, 0), daemon=True)
        b = threading.Thread(target=self.pump, args=(server, client, 1), daemon=True)
        a.start()
        b.start()
        a.join(20)
        b.join(20)
        client.close()
        server.close()


def emit(name, relay):
    relay.thread.join(30)
    print('CASE', name)
    for d, data in relay.flights:
        print('FLIGHT', d, base64.b64encode(bytes(data)).decode())


LOOP = []


def send_mail(name, m):
    """Sends m with smtplib to an smtpd sink through a relay, then prints the session and, as the oracle for file.data
    and fileinfo, each attachment as Python's own MIME parser decodes it from the message sent, with its SHA-256."""
    import asyncore, smtpd, smtplib

    class Sink(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kw):
            return None

    probe = listener()
    port = probe.getsockname()[1]
    probe.close()
    Sink(('127.0.0.1', port), None)
    if not LOOP:  # one asyncore loop serves every sink (they share asyncore's socket map)
        LOOP.append(threading.Thread(target=lambda: asyncore.loop(timeout=0.1), daemon=True))
        LOOP[0].start()
    relay = Relay(port)
    with smtplib.SMTP('127.0.0.1', relay.port, local_hostname='client.judo.example', timeout=10) as c:
        c.sendmail(m['From'], [t.strip() for t in m['To'].split(',')], m.as_bytes())
    emit(name, relay)
    from email import message_from_bytes, policy
    for part in message_from_bytes(m.as_bytes(), policy=policy.default).iter_attachments():
        content = part.get_content()
        if isinstance(content, str):
            content = part.get_payload(decode=True)
        print('ATTACHMENT', part.get_filename(), base64.b64encode(content).decode())
        print('SHA256', part.get_filename(), hashlib.sha256(content).hexdigest())


def smtp():
    from email.message import EmailMessage
    m = EmailMessage()
    m['From'] = 'alice@judo.example'
    m['To'] = 'bob@judo.example, carol@judo.example'
    m['Subject'] = 'Judo quarterly report'
    m.set_content('The numbers are in the attachment.\n')
    # a cpio archive's start with a path ET Open's Zimbra rule (sid 2039143) looks for, base64 in the mail
    m.add_attachment(b'070707' + b'0' * 40 + b'/jetty/webapps/zimbra/public/report.jsp\n', maintype='application',
                     subtype='octet-stream', filename='report.cpio')
    send_mail('smtp', m)


def smtp_files():
    """A mail with two attachments for fileinfo: 20,000 seeded random bytes (base64 over many lines and segments)
    and a short quoted-printable text."""
    import random
    from email.message import EmailMessage
    m = EmailMessage()
    m['From'] = 'dave@judo.example'
    m['To'] = 'erin@judo.example'
    m['Subject'] = 'Judo samples'
    m.set_content('Two samples attached.\n')
    m.add_attachment(random.Random(19).randbytes(20000), maintype='application', subtype='octet-stream',
                     filename='sample.bin')
    m.add_attachment('caf\u00e9 = coffee\n' * 3, subtype='plain', charset='utf-8', cte='quoted-printable',
                     filename='notes.txt')
    send_mail('smtp-files', m)


def smtp_starttls():
    """smtplib's starttls() against a small SMTP server that answers EHLO with STARTTLS and then speaks TLS with a
    throwaway self-signed certificate (Python's smtpd has no STARTTLS); the client names localhost, so its
    ClientHello carries that SNI. After the handshake the client says EHLO and QUIT, encrypted."""
    import os, smtplib, ssl, tempfile
    tmp = tempfile.mkdtemp()
    key, cert = os.path.join(tmp, 'key.pem'), os.path.join(tmp, 'cert.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                    '-days', '2', '-subj', '/CN=localhost'], capture_output=True, check=True, timeout=60)
    upstream = listener()
    port = upstream.getsockname()[1]

    def serve():
        conn, _ = upstream.accept()
        conn.settimeout(10)
        f = conn.makefile('rb')
        conn.sendall(b'220 localhost ESMTP judo-test\r\n')
        f.readline()  # EHLO
        conn.sendall(b'250-localhost\r\n250-PIPELINING\r\n250 STARTTLS\r\n')
        f.readline()  # STARTTLS
        conn.sendall(b'220 2.0.0 Ready to start TLS\r\n')
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        t = ctx.wrap_socket(conn, server_side=True)
        g = t.makefile('rb')
        while True:
            line = g.readline()
            if not line:
                break
            if line.upper().startswith(b'EHLO'):
                t.sendall(b'250 localhost\r\n')
            elif line.upper().startswith(b'QUIT'):
                t.sendall(b'221 Bye\r\n')
                break
        t.close()

    threading.Thread(target=serve, daemon=True).start()
    relay = Relay(port)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP('localhost', relay.port, local_hostname='client.judo.example', timeout=10) as c:
        c.starttls(context=ctx)
        c.ehlo()
    emit('smtp-starttls', relay)


def ssh():
    upstream = listener()
    port = upstream.getsockname()[1]

    def serve():
        conn, _ = upstream.accept()
        conn.sendall(b'SSH-2.0-JudoTestServer_1.0\r\n')
        got = b''
        conn.settimeout(10)
        try:
            while b'\r\n' not in got or len(got) < got.index(b'\r\n') + 64:
                data = conn.recv(4096)
                if not data:
                    break
                got += data
        except OSError:
            pass
        time.sleep(0.2)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    relay = Relay(port)
    subprocess.run(['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o',
                    'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=10', '-p', str(relay.port),
                    'judo@127.0.0.1', 'true'], capture_output=True, timeout=30)
    emit('ssh', relay)


smtp()
smtp_files()
smtp_starttls()
ssh()
