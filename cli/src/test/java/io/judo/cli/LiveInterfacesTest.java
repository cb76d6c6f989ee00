package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code judo inline} reads its pf.conf interface forms from this host's interfaces: the addresses and prefixes it
 * finds are those {@code ip -o -4 addr} lists (the oracle), and {@code --interface} takes precedence per name.
 */
class LiveInterfacesTest {
    @Test
    void theHostsIpv4AddressesAreThoseIpLists() throws Exception {
        TreeSet<String> expected = new TreeSet<>();
        for (String line : ip("-o", "-4", "addr")) {
            // "1: lo    inet 127.0.0.1/8 scope host lo"
            String[] f = line.trim().split("\\s+");
            expected.add(f[1] + " " + f[3]);
        }
        assertTrue(expected.stream().anyMatch(e -> e.startsWith("lo 127.0.0.1/8")), expected.toString());
        TreeSet<String> got = new TreeSet<>();
        for (Map.Entry<String, List<Addresses.Prefix>> e : RuleOptions.hostInterfaces().entrySet()) {
            for (Addresses.Prefix p : e.getValue()) {
                if (p.address().length == 4) {
                    got.add(e.getKey() + " " + InetAddress.getByAddress(p.address()).getHostAddress() + "/" + p.bits());
                }
            }
        }
        assertEquals(expected, got);
    }

    @Test
    void theOptionReplacesALiveInterfacesAddresses() {
        RuleOptions o = new RuleOptions();
        o.liveInterfaces = true;
        o.interfaceAddresses.add("lo=192.0.2.1/24");
        List<Addresses.Prefix> lo = o.policyContext(null).interfaces().get("lo");
        assertEquals(1, lo.size());
        assertEquals(24, lo.get(0).bits());
        RuleOptions live = new RuleOptions();
        live.liveInterfaces = true;
        assertTrue(live.policyContext(null).interfaces().get("lo").stream().anyMatch(p -> p.bits() == 8
                && p.address().length == 4 && p.address()[0] == 127), "lo's 127.0.0.1/8");
        assertEquals(null, new RuleOptions().policyContext(null).interfaces().get("lo"), "offline: none");
    }

    private static List<String> ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("ip (iproute2) is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }
}
