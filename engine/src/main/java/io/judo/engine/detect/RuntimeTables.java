package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses a judo policy's {@code overload <table>} options put in their tables while packets pass (pf's
 * runtime table entries; the entries the file declares are program constants). Shared by every partition of a run:
 * a source one worker overloads is blocked on every worker. A lookup reuses the caller's probe and allocates nothing.
 */
public final class RuntimeTables {
    private final List<String> names;
    private final List<Set<AddressKey>> sets = new ArrayList<>();

    /** @param names the tables, runtime ids being 1-based positions ({@code JudoPolicy.runtimeTables}) */
    public RuntimeTables(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            sets.add(ConcurrentHashMap.newKeySet());
        }
    }

    /** Whether the source ({@code which} 0) or destination (1) address of {@code v} is in table {@code id}. */
    boolean contains(int id, PacketView v, int which, AddressKey probe) {
        if (id < 1 || id > sets.size() || v == null || v.addressLength() == 0) {
            return false;
        }
        Set<AddressKey> set = sets.get(id - 1);
        if (set.isEmpty()) {
            return false;
        }
        int at = which == 0 ? v.srcAddressOffset() : v.dstAddressOffset();
        return set.contains(probe.fill(v.buffer(), at, -1, v.addressLength()));
    }

    /** Puts an address in table {@code id}; whether it was not there yet. */
    boolean add(int id, AddressKey address) {
        return sets.get(id - 1).add(address.copy());
    }

    /** The tables' names, in id order. */
    public List<String> names() {
        return names;
    }

    /** The addresses table {@code id} (1-based) was given, as text, sorted. */
    public List<String> addresses(int id) {
        List<String> out = new ArrayList<>();
        for (AddressKey k : sets.get(id - 1)) {
            out.add(k.firstAddress());
        }
        out.sort(null);
        return out;
    }
}
