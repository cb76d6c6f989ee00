package io.judo.vm.opt;

import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Merging of identical blocks: a block that ends the program's run ({@code ret}/{@code retr} after straight-line
 * code, such as {@code ret pass, 1} or {@code mov r0, 2; retr r0}) and that another, later, identical block repeats,
 * is reached through the later one: every jump to the first goes to the second, and the first goes with
 * unreachable-code removal when nothing falls into it. Jumps only go forward, so the later copy is the one kept; a
 * jump is never moved into another rule region.
 */
final class MergeTails implements Pass {
    @Override
    public String name() {
        return "merge-tails";
    }

    @Override
    public boolean apply(Code c) {
        int n = c.n;
        boolean[] entered = new boolean[n + 1];
        for (int pc = 0; pc < n; pc++) {
            if (!c.deleted[pc] && c.target[pc] >= 0) {
                entered[c.live(c.target[pc])] = true;
            }
        }
        int[] segment = segments(c);
        Map<String, Integer> later = new HashMap<>(); // block contents (and segment) -> start of the latest copy
        int[] moveTo = new int[n + 1];
        Arrays.fill(moveTo, -1);
        boolean any = false;
        for (int start = n - 1; start >= 0; start--) {
            if (c.deleted[start] || !entered[start]) {
                continue;
            }
            String key = tail(c, start, segment);
            if (key == null) {
                continue;
            }
            Integer kept = later.putIfAbsent(key, start);
            if (kept != null) {
                moveTo[start] = kept;
                any = true;
            }
        }
        if (!any) {
            return false;
        }
        boolean changed = false;
        for (int pc = 0; pc < n; pc++) {
            if (c.deleted[pc] || c.target[pc] < 0) {
                continue;
            }
            int t = c.live(c.target[pc]);
            int to = t < n ? moveTo[t] : -1;
            if (to >= 0 && (Opcode.isGoto(c.op[pc]) || to - pc - 1 <= Short.MAX_VALUE)) {
                c.target[pc] = to;
                changed = true;
            }
        }
        return changed;
    }

    /** The contents of the straight-line block from {@code start} to its {@code ret}/{@code retr}, or null. */
    private static String tail(Code c, int start, int[] segment) {
        StringBuilder sb = new StringBuilder().append(segment[start]).append(':');
        for (int pc = start; pc < c.n && pc - start < 16; pc = c.live(pc + 1)) {
            int op = c.op[pc];
            if (Code.branches(op) || segment[pc] != segment[start]) {
                return null;
            }
            sb.append(op).append(',').append(c.dst[pc]).append(',').append(c.src[pc]).append(',')
                    .append(c.off[pc]).append(',').append(c.imm[pc]).append(';');
            if (Code.exits(op)) {
                return sb.toString();
            }
        }
        return null;
    }

    /** Per instruction, how many region boundaries lie at or before it. */
    static int[] segments(Code c) {
        boolean[] boundary = new boolean[c.n + 1];
        for (RuleRegion r : c.source.regions()) {
            boundary[r.start()] = true;
            boundary[Math.min(r.end(), c.n)] = true;
        }
        int[] seg = new int[c.n + 1];
        int k = 0;
        for (int pc = 0; pc <= c.n; pc++) {
            if (boundary[pc]) {
                k++;
            }
            seg[pc] = k;
        }
        return seg;
    }
}
