package io.judo.packet.build;

import java.util.SplittableRandom;

/**
 * Addresses and ports for generated sessions: clients on a few private IPv4 subnets and an IPv6 prefix, servers on
 * documentation prefixes, and client ports handed out in turn from the Linux ephemeral range, as one NAT gateway's
 * clients would show them. Handing ports out in turn rather than at random keeps two connections that overlap in time
 * off the same 4-tuple, which tshark (the generated captures' oracle) would report as port reuse.
 */
final class Endpoints {
    private static final int FIRST_PORT = 32768;
    private static final int LAST_PORT = 60999;

    private final SplittableRandom random;
    private int nextPort;

    Endpoints(SplittableRandom random) {
        this.random = random;
        this.nextPort = FIRST_PORT + random.nextInt(LAST_PORT - FIRST_PORT);
    }

    /** The next client port. */
    int clientPort() {
        int p = nextPort;
        nextPort = p == LAST_PORT ? FIRST_PORT : p + 1;
        return p;
    }

    /** A client address: IPv4 mostly, IPv6 when {@code v6}. */
    String client(boolean v6) {
        return v6 ? "2001:db8:1::" + Integer.toHexString(1 + random.nextInt(0xfffe))
                : "10." + random.nextInt(4) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** Server {@code index} (0 to 239) of a service whose IPv4 servers sit in {@code v4Net} (three octets). */
    static String server(String v4Net, int index, boolean v6) {
        return v6 ? "2001:db8:" + v4Net.substring(v4Net.lastIndexOf('.') + 1) + "::" + Integer.toHexString(index + 1)
                : v4Net + "." + (10 + index);
    }

    /** True one time in {@code n}. */
    boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /**
     * The {@link TcpConversation} between a new client and {@code server}:{@code port}, random initial sequence numbers,
     * clocked from {@code start} with {@code step} nanoseconds between frames.
     */
    TcpConversation connect(String client, String server, int port, long start, long step) {
        return new TcpConversation(PacketBuilder::ethernet, client, clientPort(), server, port,
                random.nextLong() & 0xffffffffL, random.nextLong() & 0xffffffffL).clock(start, step);
    }
}
