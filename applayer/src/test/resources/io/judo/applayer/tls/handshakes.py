"""Real TLS handshakes for TlsOracleTest: OpenSSL (through Python's ssl module, memory BIOs, no sockets) talks to
itself with certificates made by the openssl command, and this script writes what went over the wire, per direction
and in order, as lines, plus a pcap of the same bytes for tshark, plus the certificate fields as Python's
cryptography package reads them (the oracle for subject, issuer, serial, fingerprint and validity).

Output lines: CASE name pcap | FLIGHT dir base64 | CERT index subject|issuer|serial|sha1|notbefore|notafter
"""
import base64, os, ssl, subprocess, sys
# pcapwriter.py stands beside this script when a test copied it there (TestSupport.script), else one folder up
# (run in place, as the engine's TlsDetectionTest does)
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
import pcapwriter  # noqa: E402
from cryptography import x509
from cryptography.hazmat.primitives import hashes

out = sys.argv[1]
ABBREV = {'2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
          '0.9.2342.19200300.100.1.25': 'DC', '1.2.840.113549.1.9.1': 'Email'}


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


def make_certs():
    ca_key, ca = os.path.join(out, 'ca.key'), os.path.join(out, 'ca.pem')
    sh('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', ca_key, '-out', ca, '-days', '3650',
       '-subj', '/C=US/O=Judo CA/CN=Judo Test Root', '-set_serial', '0x1234')
    key, csr, crt = (os.path.join(out, n) for n in ('leaf.key', 'leaf.csr', 'leaf.pem'))
    sh('openssl', 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr,
       '-subj', '/C=US/ST=California/L=San Jose/O=Judo Test/OU=Parsers/CN=judo.example/emailAddress=ops@judo.example')
    sh('openssl', 'x509', '-req', '-in', csr, '-CA', ca, '-CAkey', ca_key, '-out', crt, '-days', '400',
       '-set_serial', '0xF1E2D3C4B5A697880011')
    chain = os.path.join(out, 'chain.pem')
    with open(chain, 'w') as f:
        f.write(open(crt).read() + open(ca).read())
    return chain, key, [crt, ca]


def name(n):
    return ', '.join(' + '.join(ABBREV.get(a.oid.dotted_string, a.oid.dotted_string) + '=' + a.value for a in rdn)
                     for rdn in n.rdns)


def serial(v):
    raw = v.to_bytes(v.bit_length() // 8 + 1, 'big')  # DER: minimal two's complement
    return ':'.join('%02X' % b for b in raw)


def cert_line(i, path):
    c = x509.load_pem_x509_certificate(open(path, 'rb').read())
    fp = ':'.join('%02x' % b for b in c.fingerprint(hashes.SHA1()))
    return 'CERT %d %s|%s|%s|%s|%d|%d' % (i, name(c.subject), name(c.issuer), serial(c.serial_number), fp,
                                         int(c.not_valid_before_utc.timestamp()), int(c.not_valid_after_utc.timestamp()))


def handshake(client_ctx, server_ctx, sni):
    flights = []
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_side=False, server_hostname=sni)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    done = [False, False]
    for _ in range(20):
        for i, obj in enumerate((client, server)):
            if not done[i]:
                try:
                    obj.do_handshake()
                    done[i] = True
                except ssl.SSLWantReadError:
                    pass
            data = (c_out if i == 0 else s_out).read()
            if data:
                flights.append((i, data))
                (s_in if i == 0 else c_in).write(data)
        if all(done):
            break
    client.write(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    data = c_out.read()
    flights.append((0, data))
    return flights


chain, key, cert_paths = make_certs()
cases = []


def case(label, sni, alpn=None, version=None, ciphers=None, legacy=False, client_cert=False):
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(chain, key)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.check_hostname = False
    client_ctx.verify_mode = ssl.CERT_NONE
    if legacy:  # TLS 1.0 needs OpenSSL's security level 0 on both sides
        for ctx in (server_ctx, client_ctx):
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.set_ciphers('DEFAULT:@SECLEVEL=0')
    if client_cert:  # mutual TLS: the client's chain goes in clear in TLS 1.2
        server_ctx.verify_mode = ssl.CERT_REQUIRED
        server_ctx.load_verify_locations(cert_paths[1])
        client_ctx.load_cert_chain(chain, key)
    if alpn:
        client_ctx.set_alpn_protocols(alpn)
        server_ctx.set_alpn_protocols(alpn)
    if version:
        client_ctx.maximum_version = version
    if ciphers:
        client_ctx.set_ciphers(ciphers)
    flights = handshake(client_ctx, server_ctx, sni)
    path = os.path.join(out, label + '.pcap')
    pcapwriter.write(path, flights, 443, 1200)
    print('CASE %s %s' % (label, path))
    for d, data in flights:
        print('FLIGHT %d %s' % (d, base64.b64encode(data).decode()))
    for i, p in enumerate(cert_paths):
        print(cert_line(i, p))


case('tls12_sni_alpn', 'judo.example', ['h2', 'http/1.1'], ssl.TLSVersion.TLSv1_2)
case('tls13_sni', 'tls13.judo.example', ['http/1.1'])
case('tls12_no_sni', None, None, ssl.TLSVersion.TLSv1_2, 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:AES128-SHA')
case('tls10_legacy', 'old.judo.example', None, ssl.TLSVersion.TLSv1, None, legacy=True)
case('tls12_mtls', 'mtls.judo.example', None, ssl.TLSVersion.TLSv1_2, None, client_cert=True)
