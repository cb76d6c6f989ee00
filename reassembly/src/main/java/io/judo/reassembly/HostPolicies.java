package io.judo.reassembly;

import io.judo.packet.Addresses;
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
    private record Network(Addresses.Prefix prefix, OverlapPolicy policy) {
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
            Addresses.Prefix prefix;
            try {
                prefix = Addresses.parsePrefix(net);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "': " + e.getMessage());
            }
            list.add(new Network(prefix, policy));
        }
        list.sort(Comparator.comparingInt((Network n) -> n.prefix.bits()).reversed());
        return new HostPolicies(List.copyOf(list), fallback);
    }

    /** The policy for the host whose address is {@code length} bytes at {@code offset}. */
    public OverlapPolicy forAddress(ByteBuffer b, int offset, int length) {
        for (Network n : networks) {
            if (n.prefix.contains(b, offset, length)) {
                return n.policy;
            }
        }
        return fallback;
    }

    /** The policy for {@code address} (4 or 16 bytes). */
    public OverlapPolicy forAddress(byte[] address) {
        return forAddress(ByteBuffer.wrap(address), 0, address.length);
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
