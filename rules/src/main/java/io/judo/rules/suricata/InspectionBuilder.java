package io.judo.rules.suricata;

import io.judo.rules.ir.Base64Decode;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts a rule's payload keywords into inspections, one per (buffer, transforms), as Suricata sorts them into its
 * per-buffer lists while it parses:
 *
 * <ul>
 *   <li>a sticky buffer keyword ({@code http.uri}) sends the keywords after it to that buffer, until the next sticky
 *   buffer or {@code pkt_data}; the transforms right after it ({@code to_lowercase}) belong to it; naming the same
 *   buffer again with the same transforms continues the same list (so a relative content continues from the earlier
 *   one);</li>
 *   <li>a content modifier ({@code http_uri}) moves its content from the packet list to that buffer's list;</li>
 *   <li>with no sticky buffer, a relative keyword that is not a content ({@code pcre:"/x/R"}, {@code isdataat:1,
 *   relative}, relative byte keywords) goes to the list of the last content or pcre, whichever buffer that is;</li>
 *   <li>{@code base64_decode} goes to the sticky buffer's list, else to the last content's or pcre's, else to the
 *   packet list, and ends that list; {@code base64_data} then acts as a sticky buffer over the decoded bytes, whose
 *   list becomes the decode's {@link Base64Decode#data()}.</li>
 * </ul>
 *
 * The packet list is {@link Buffer#PAYLOAD}: the packet's payload or the stream, whichever hook runs the rule.
 */
final class InspectionBuilder {
    /** One list being filled. */
    static final class Open {
        /** The buffer; null for the {@code base64_data} list (the decoded bytes, which are no buffer-table row). */
        final Buffer buffer;
        final List<Transform> transforms = new ArrayList<>();
        final List<Inspect> items = new ArrayList<>();

        Open(Buffer buffer) {
            this.buffer = buffer;
        }

        boolean raw() {
            return buffer == Buffer.PAYLOAD;
        }
    }

    private final List<Open> lists = new ArrayList<>();
    /** The sticky buffer in force, null for the packet list. */
    private Open current;
    /** {@link #current} was named and has no keyword yet (transforms may still follow; it is not in the lists). */
    private boolean pending;
    private Open lastContent;
    private int lastContentIndex;
    /** The last content was moved by a content modifier (a second one is an error). */
    private boolean lastContentMoved;
    private Open lastMatch;
    /** The list a {@code base64_decode} ended (null before one), and the decode's options. */
    private Open decodedFrom;
    private int decodeBytes;
    private long decodeOffset;
    private boolean decodeRelative;
    /** The {@code base64_data} list, once named. */
    private Open decoded;

    /** A sticky buffer keyword. */
    void sticky(Buffer b) {
        current = new Open(b);
        pending = true;
    }

    /** {@code pkt_data}: back to the packet list. */
    void packetData() {
        current = null;
        pending = false;
    }

    /** Whether a sticky buffer is in force (content modifiers and pcre buffer flags cannot be used then). */
    boolean stickyInForce() {
        return current != null;
    }

    /** The buffer of the sticky keyword in force, or null (also for {@code base64_data}). */
    Buffer stickyBuffer() {
        return current == null ? null : current.buffer;
    }

    /** The sticky keyword in force as a rule writes it ({@code http.uri}, {@code base64_data}), or null. */
    String stickyName() {
        return current == null ? null : current == decoded ? "base64_data" : current.buffer.text();
    }

    /**
     * {@code base64_decode}: goes where Suricata puts it (the sticky buffer's list, else the last content's or pcre's,
     * else the packet list), with its {@link Base64Decode} options; its data is the {@code base64_data} list at
     * {@link #build}. False when the rule already has one (Suricata keeps one decoded buffer per rule).
     */
    boolean base64Decode(int bytes, long offset, boolean relative) {
        if (decodedFrom != null) {
            return false;
        }
        decodedFrom = current != null ? target(false) : lastMatch != null ? lastMatch : list(Buffer.PAYLOAD,
                List.of());
        decodeBytes = bytes;
        decodeOffset = offset;
        decodeRelative = relative;
        return true;
    }

    /** {@code base64_data}: the keywords after it inspect the decoded bytes; false without a base64_decode before. */
    boolean base64Data() {
        if (decodedFrom == null) {
            return false;
        }
        if (decoded == null) {
            decoded = new Open(null);
        }
        current = decoded;
        pending = false;
        return true;
    }

    /** Whether {@code o} is the {@code base64_data} list. */
    boolean decodedList(Open o) {
        return o != null && o == decoded;
    }

    /** Adds a transform to the sticky buffer just named; false when none was, or a keyword already followed it. */
    boolean transform(Transform t) {
        if (current == null || !pending) {
            return false;
        }
        current.transforms.add(t);
        return true;
    }

    /** The list a keyword goes to; {@code relative} for a relative keyword that is not a content. */
    Open target(boolean relative) {
        if (current == null) {
            if (relative && lastMatch != null) {
                return lastMatch;
            }
            return list(Buffer.PAYLOAD, List.of());
        }
        if (pending) {
            current = list(current.buffer, current.transforms);
            pending = false;
        }
        return current;
    }

    /** The list of buffer {@code b} without transforms (content modifiers, pcre flags, uricontent, urilen). */
    Open list(Buffer b) {
        return list(b, List.of());
    }

    private Open list(Buffer b, List<Transform> transforms) {
        for (Open o : lists) {
            if (o.buffer == b && o.transforms.equals(transforms)) {
                return o;
            }
        }
        Open o = new Open(b);
        o.transforms.addAll(transforms);
        lists.add(o);
        return o;
    }

    void add(Open to, Inspect item) {
        if (to == decodedFrom) {
            throw new UnsupportedKeyword("keyword after base64_decode in its buffer", 1, KEYWORD_AFTER_DECODE);
        }
        to.items.add(item);
        if (item instanceof Content) {
            lastContent = to;
            lastContentIndex = to.items.size() - 1;
            lastContentMoved = false;
        }
        if (item instanceof Content || item instanceof io.judo.rules.ir.Pcre) {
            lastMatch = to;
        }
    }

    /**
     * The list holding the rule's last content, whatever came after it (Suricata's modifiers apply to the last
     * content of any list), or null when there is none yet.
     */
    Open lastContent() {
        return lastContent;
    }

    /** The last content's index in {@link #lastContent()}'s items. */
    int lastContentIndex() {
        return lastContentIndex;
    }

    /** Whether a content modifier already moved the last content. */
    boolean lastContentMoved() {
        return lastContentMoved;
    }

    /**
     * Moves the last content (there must be one) to buffer {@code b}'s list, as a content modifier does; in Snort a
     * modifier also takes a content out of a sticky buffer ({@code file_data; content:"x"; http_header;}).
     */
    void moveLastContent(Buffer b) {
        Open to = list(b);
        if (to == decodedFrom) {
            throw new UnsupportedKeyword("keyword after base64_decode in its buffer", 1, KEYWORD_AFTER_DECODE);
        }
        Inspect c = lastContent.items.remove(lastContentIndex);
        to.items.add(c);
        lastContent = to;
        lastContentIndex = to.items.size() - 1;
        lastContentMoved = true;
        lastMatch = to;
    }

    /** Whether the sticky buffer named last has had no keyword after it (Suricata refuses such a rule). */
    Buffer unfinishedSticky() {
        return current != null && pending ? current.buffer : null;
    }

    private static final String KEYWORD_AFTER_DECODE = "a keyword after base64_decode in the buffer it decodes "
            + "(Suricata never evaluates it: the decode ends its buffer's list)";

    /**
     * Whether the rule has a {@code base64_decode} and no keyword inspects its decoded bytes (no {@code base64_data},
     * or nothing after it): Suricata never matches such a rule.
     */
    boolean decodeWithoutData() {
        return decodedFrom != null && (decoded == null || decoded.items.isEmpty());
    }

    /**
     * The inspections with at least one keyword, in the order their buffers were first used; a {@code base64_decode}
     * (with its {@code base64_data} keywords, see {@link #decodeWithoutData()}) ends its list.
     */
    List<Inspection> build() {
        if (decodedFrom != null && !decodeWithoutData()) {
            decodedFrom.items.add(new Base64Decode(decodeBytes, decodeOffset, decodeRelative, decoded.items));
        }
        List<Inspection> out = new ArrayList<>();
        for (Open o : lists) {
            if (!o.items.isEmpty()) {
                out.add(new Inspection(o.buffer, o.transforms, o.items));
            }
        }
        return List.copyOf(out);
    }
}
