package io.judo.engine.detect;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.vm.interp.Helper;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.PacketContext;

/**
 * The {@code regex} helper over the selected inspection buffer: string {@code r1} of the program names a compiled
 * regex (the rule compiler's table), searched in {@code [r2, r4)} with {@code ^} anchored at {@code r2} when
 * {@code r3} is 1. Each search has a step budget; a search that exhausts it fails the rule check and is counted.
 */
final class RegexHelper implements Helper {
    /** Regex steps one search may take. */
    static final long BUDGET = 1_000_000;

    private final BoundedRegex[] table;
    private long exhausted;

    RegexHelper(BoundedRegex[] table) {
        this.table = table;
    }

    @Override
    public long call(PacketContext ctx, long r1, long r2, long r3, long r4, long r5) {
        BoundedRegex re = r1 >= 0 && r1 < table.length ? table[(int) r1] : null;
        byte[] bytes = ctx.selectedBytes();
        if (re == null || bytes == null) {
            return Helpers.REGEX_NO_MATCH;
        }
        long limit = Math.min(r4, ctx.selectedLength());
        if (r2 < 0 || r2 > limit) {
            return Helpers.REGEX_NO_MATCH;
        }
        long r = re.find(bytes, ctx.selectedOffset(), (int) r2, (int) limit, r3 != 0, BUDGET);
        if (r == BoundedRegex.EXHAUSTED) {
            exhausted++;
            return Helpers.REGEX_EXHAUSTED;
        }
        return r == BoundedRegex.NO_MATCH ? Helpers.REGEX_NO_MATCH : r;
    }

    /** Searches stopped at the budget. */
    long exhausted() {
        return exhausted;
    }
}
