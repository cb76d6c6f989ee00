"""Real SMTP sessions for SmtpOracleTest: Python's smtplib sends mails to Python's smtpd server through a recording
relay on loopback. The mails are MIME as Python's email package writes them: a multipart/mixed holding a
multipart/alternative (quoted-printable text with soft line breaks, '=' and a line starting with a dot, and HTML),
a base64 binary attachment and a quoted-printable text attachment; then RSET, a plain non-MIME mail, NOOP and QUIT.
What the server received is parsed back by Python's email package: that is the oracle for the decoded parts. A pcap
of the same bytes is written for tshark.

Usage: mails.py OUTDIR
Output lines: CASE name pcap | FLIGHT dir base64 | MAIL n from | RCPT n to | HEADER n name|value
              | PART n filename base64(decoded)     (dir 0: client to server; n counts mails from 0)
"""
import base64, os, random, socket, sys, threading, warnings
# pcapwriter.py stands beside this script when a test copied it there (TestSupport.script), else one folder up
# (run in place, as the engine's TlsDetectionTest does)
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
import pcapwriter  # noqa: E402

warnings.filterwarnings('ignore', category=DeprecationWarning)
import asyncore, smtpd, smtplib  # noqa: E402  (deprecated, still in 3.11)
from email.message import EmailMessage  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402


def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(1)
    return s


class Relay:
    """Accepts one client, connects it to the upstream port and records each read of either side in order."""

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
                    self.flights.append([direction, bytearray(data)])
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


received = []


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        received.append((mailfrom, list(rcpttos), data))
        return None


def multipart_mail():
    rnd = random.Random(7)
    m = EmailMessage()
    m['From'] = 'Alice Example <alice@judo.example>'
    m['To'] = 'bob@judo.example, carol@judo.example'
    m['Cc'] = 'dave@judo.example'
    m['Subject'] = 'Quarterly report, with attachments'
    text = ('Hello Bob,\n\nThe numbers are in the attachment: revenue = 1,000,000 \u20ac and costs = 250,000 \u20ac.\n'
            '.this line starts with a dot and must come out with one dot\n'
            + 'A long line that quoted-printable has to break with soft line breaks ' * 3 + '\n'
            + 'Trailing spaces here   \nBye.\n')
    m.set_content(text, cte='quoted-printable')
    m.add_alternative('<html><body><p>The numbers are in the <b>attachment</b>.</p></body></html>\n', subtype='html')
    binary = bytes(rnd.randrange(256) for _ in range(5000))
    m.add_attachment(binary, maintype='application', subtype='pdf', filename='report Q3.pdf')
    notes = ('Notes = \u00e9l\u00e8ves\n.dot line in the attachment\n' + 'x' * 120 + '\nend\n')
    m.add_attachment(notes, subtype='plain', cte='quoted-printable', filename='notes.txt')
    return m


def plain_mail():
    return (b'From: carol@judo.example\r\nTo: alice@judo.example\r\nSubject: plain\r\n\r\n'
            b'No MIME here.\r\n..\r\nThe line above was a single dot.\r\n')


probe = listener()
port = probe.getsockname()[1]
probe.close()
Sink(('127.0.0.1', port), None, decode_data=False)
threading.Thread(target=lambda: asyncore.loop(timeout=0.05), daemon=True).start()
relay = Relay(port)
with smtplib.SMTP('127.0.0.1', relay.port, local_hostname='client.judo.example', timeout=10) as c:
    c.send_message(multipart_mail(), from_addr='alice@judo.example',
                   to_addrs=['bob@judo.example', 'carol@judo.example', 'dave@judo.example'])
    c.rset()
    c.sendmail('carol@judo.example', ['alice@judo.example'], plain_mail())
    c.noop()
relay.thread.join(30)

out = sys.argv[1]
path = os.path.join(out, 'smtp.pcap')
pcapwriter.write(path, relay.flights, 25, 1400)
print('CASE smtp', path)
for d, data in relay.flights:
    print('FLIGHT', d, base64.b64encode(bytes(data)).decode())
for n, (mailfrom, rcpttos, data) in enumerate(received):
    print('MAIL', n, mailfrom)
    for r in rcpttos:
        print('RCPT', n, r)
    msg = message_from_bytes(data, policy=policy.compat32)
    for k, v in msg.items():
        print('HEADER', n, k + '|' + v.replace('\r', '').replace('\n', ''))
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or ''
        payload = part.get_payload(decode=True) or b''
        print('PART', n, base64.b64encode(name.encode()).decode(), base64.b64encode(payload).decode())
