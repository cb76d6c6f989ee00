package io.judo.rules.ir;

/**
 * One keyword of an inspection chain, in rule order, as Suricata evaluates it. Items that are relative measure from
 * the inspection cursor: the end of the previous positive match (or where a {@code byte_jump} or {@code byte_extract}
 * left it). The rule compiler lowers a chain to VM code; nothing here runs per packet.
 */
public sealed interface Inspect permits Content, Pcre, DataAt, ByteTest, ByteJump, ByteExtract, ByteMath, Bsize,
        Base64Decode {
    /** Unset value of the integer modifiers. */
    int UNSET = Integer.MIN_VALUE;

    /** Whether the item is measured from the cursor rather than from the buffer start. */
    boolean relative();
}
