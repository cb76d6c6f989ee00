package io.judo.reassembly;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Overlap policies per destination network: the longest prefix containing the receiving host decides, a default
 * covers the rest. Both reassembly layers use it: the stream policy as given, the fragment policy through
 * {@link DefragPolicy#of}. Networks are written {@code 10.0.0.0/8=windows} or {@code 2001:db8::/32=linux}.
 */
public final class HostPolicies {
    private record Network(byte[] prefix, int bits, OverlapPolicy policy) {
    }

    private final List<Network> networks;
    private final OverlapPolicy fallback;

    private HostPolicies(List<Network> networks, OverlapPolicy fallback) {
        this.networks = networks;
        this.fallback = fallback;
    }

    /** One policy for every host. */
    public static HostPolicies uniform(OverlapPolicy policy) {
        return new HostPolicies(List.of(), policy);
    }

    /**
     * Parses {@code NETWORK/BITS=POLICY} entries (a bare address means one host).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static HostPolicies parse(List<String> entries, OverlapPolicy fallback) {
        List<Network> list = new ArrayList<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + entry + "': expected NETWORK/BITS=POLICY");
            }
            String net = entry.substring(0, eq).trim();
            OverlapPolicy policy = OverlapPolicy.named(entry.substring(eq + 1).trim());
            int slash = net.indexOf('/');
            String address = slash < 0 ? net : net.substring(0, slash);
            if (address.isEmpty() || !address.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("'" + entry + "': '" + address + "' is not an IP address");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress(); // a literal: never a name lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "': '" + address + "' is not an IP address");
            }
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(net.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "': prefix length must be 0.." + bytes.length * 8);
                }
            }
            list.add(new Network(bytes, bits, policy));
        }
        list.sort(Comparator.comparingInt((Network n) -> n.bits).reversed());
        return new HostPolicies(List.copyOf(list), fallback);
    }

    /** The policy for the host whose address is {@code length} bytes at {@code offset}. */
    public OverlapPolicy forAddress(ByteBuffer b, int offset, int length) {
        for (Network n : networks) {
            if (n.prefix.length == length && matches(n, b, offset)) {
                return n.policy;
            }
        }
        return fallback;
    }

    /** The policy for {@code address} (4 or 16 bytes). */
    public OverlapPolicy forAddress(byte[] address) {
        return forAddress(ByteBuffer.wrap(address), 0, address.length);
    }

    private static boolean matches(Network n, ByteBuffer b, int offset) {
        int whole = n.bits / 8;
        for (int i = 0; i < whole; i++) {
            if (b.get(offset + i) != n.prefix[i]) {
                return false;
            }
        }
        int rest = n.bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return ((b.get(offset + whole) ^ n.prefix[whole]) & mask) == 0;
    }

    /** True when every host gets the same policy. */
    public boolean isUniform() {
        return networks.isEmpty();
    }

    /** The policy for hosts no network names. */
    public OverlapPolicy fallback() {
        return fallback;
    }
}
