package io.judo.engine;

import io.judo.engine.detect.Rewriting;
import io.judo.reassembly.Flow;
import io.judo.vm.Verdict;

/**
 * What a {@link Partition} decided for one packet: the verdict (the rule stages' merged: the policy's pass, block or
 * reject, a Suricata drop or reject rule making a passed packet dropped), whether the packet is a fragment held until
 * its datagram completes, the judo policy's queue and tag, and where the packet's edits come from. One object per
 * partition, filled anew for each packet and valid until the next: a value read by the outputs, not allocated per
 * packet.
 */
public final class Decision {
    /** {@link #verdict()} of a fragment held until its datagram is whole; the completing fragment decides. */
    public static final int HELD = 0;

    int verdict;
    boolean held;
    int queue;
    long tag;
    int policyRule;
    boolean suricataBlocked;
    Flow flow;
    int direction;
    Rewriting rewriting;

    void reset() {
        verdict = Verdict.PASS;
        held = false;
        queue = 0;
        tag = 0;
        policyRule = -1;
        suricataBlocked = false;
        flow = null;
        direction = 0;
    }

    /** {@link Verdict#PASS}, {@link Verdict#DROP}, {@link Verdict#REJECT}, or {@link #HELD}. */
    public int verdict() {
        return verdict;
    }

    /** True for a fragment kept until its datagram completes (decided with it). */
    public boolean held() {
        return held;
    }

    /** The policy's queue for the packet (1-based as declared; 0: none, or no policy). */
    public int queue() {
        return queue;
    }

    /** The policy's tag on the packet (1-based as declared; 0: none). */
    public long tag() {
        return tag;
    }

    /** The policy rule that decided the packet (index into the policy's rules), or -1: the default, or no policy. */
    public int policyRule() {
        return policyRule;
    }

    /** Whether a Suricata drop or reject rule matched the packet. */
    public boolean suricataBlocked() {
        return suricataBlocked;
    }

    /** The packet's flow, or null (not tracked). */
    public Flow flow() {
        return flow;
    }

    /** The packet's direction in {@link #flow()} (0: client to server). */
    public int direction() {
        return direction;
    }

    /** The stage whose edits (replace, remaps, TOS/TTL) apply to the packet as it leaves, or null: none can edit. */
    public Rewriting rewriting() {
        return rewriting;
    }
}
