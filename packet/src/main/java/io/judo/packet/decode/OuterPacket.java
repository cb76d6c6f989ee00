package io.judo.packet.decode;

/**
 * The outermost packet of a tunnelled one, as values (the view it came from is reused): what an alert on the inner
 * packet reports as its {@code tunnel}.
 *
 * @param src the outer source address's bytes (4 or 16)
 * @param dest the outer destination address's bytes
 * @param proto the outer IP packet's protocol number (47 GRE, 17 UDP, 4 or 41 IP-in-IP)
 * @param srcPort the outer UDP source port for UDP encapsulations, else 0
 * @param destPort the outer UDP destination port, else 0
 * @param depth how many tunnels the inner packet is inside
 * @param kind the innermost tunnel's kind
 */
public record OuterPacket(byte[] src, byte[] dest, int proto, int srcPort, int destPort, int depth, Tunnel kind) {
    /** The outer packet of {@code v}, or null when {@code v} is not tunnelled (allocates only when it is). */
    public static OuterPacket of(PacketView v) {
        if (v.tunnelDepth == 0) {
            return null;
        }
        return new OuterPacket(v.tunnelSrc(), v.tunnelDst(), v.tunnelProtocol, v.tunnelSrcPort, v.tunnelDstPort,
                v.tunnelDepth, v.tunnelKind);
    }
}
