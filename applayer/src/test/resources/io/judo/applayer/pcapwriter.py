"""A pcap of recorded TCP traffic for the oracle tests' tshark runs, shared by tls/handshakes.py and smtp/mails.py.

The Java oracle tests copy this module beside the script they run (TestSupport.script); run in place, a script finds
it one folder up (each script adds that folder to its path).
"""
import struct


def write(path, flights, port, segment):
    """Writes flights, [(dir, bytes)] in wire order (dir 0: client to server), as one Ethernet/IPv4/TCP connection
    from 10.0.0.1:40000 to 10.0.0.2:port: the three-way handshake, then each flight cut into segments of at most
    segment bytes. Checksums are left zero (tshark does not check them by default)."""
    cli, srv = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    seq = [1000, 5000]
    pkts = []

    def tcp(d, flags, payload=b''):
        src, dst = (cli, srv) if d == 0 else (srv, cli)
        sp, dp = (40000, port) if d == 0 else (port, 40000)
        t = struct.pack('!HHIIBBHHH', sp, dp, seq[d], seq[1 - d], 5 << 4, flags, 65535, 0, 0) + payload
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(t), 1, 0, 64, 6, 0, src, dst) + t
        pkts.append(b'\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x01\x08\x00' + ip)
        seq[d] += len(payload) + (1 if flags & 0x02 else 0)

    tcp(0, 0x02)
    tcp(1, 0x12)
    tcp(0, 0x10)
    for d, data in flights:
        for k in range(0, len(data), segment):
            tcp(d, 0x18, bytes(data[k:k + segment]))  # bytes(): a relay may record bytearrays
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for n, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1700000000 + n, 0, len(p), len(p)) + p)
