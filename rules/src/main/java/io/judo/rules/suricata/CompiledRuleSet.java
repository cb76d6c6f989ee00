package io.judo.rules.suricata;

import io.judo.matcher.Pattern;
import io.judo.vm.Buffer;
import io.judo.vm.RuleRegion;
import io.judo.vm.Transform;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.verify.VerifiedProgram;
import java.util.List;

/**
 * A loaded rule set compiled for its hooks: each hook has one verified VM program with one region per rule (header
 * tests, then the rule's body: inspections, flow bits, the alert) and prefilter pattern lists (one literal per
 * distinct fast pattern) that tell the engine which regions can match at all.
 */
public final class CompiledRuleSet {
    /**
     * Where a rule runs: over single packets, over the reassembled stream of an established TCP flow, or over the
     * HTTP transactions of a flow (the rules that name an HTTP buffer, and {@code http} rules with nothing to inspect
     * in the packet data).
     */
    public enum Hook { PACKET, STREAM, HTTP }

    /**
     * When an HTTP-hook rule runs and what it reads.
     *
     * @param direction 0: when the transaction's request side has progressed (to the server), 1: its response side
     *     (to the client), -1: both. From {@code flow:}, else from its buffers: any response buffer makes it
     *     to_client, else any request buffer to_server; a rule with only buffers of both sides runs both ways, each
     *     time over the side of that direction.
     * @param requestBody it reads the request body (http.request_body, or file.data when it runs to the server)
     * @param responseBody it reads the response body (http.response_body, or file.data when it runs to the client)
     */
    public record TxRule(int direction, boolean requestBody, boolean responseBody) {
    }

    /**
     * One buffer's prefilter in the HTTP hook: the fast patterns of the rules whose fast pattern is in buffer
     * {@code buffer} (a {@link Buffer} id, or a derived buffer's id), ids 0..n-1, and per pattern the rules it makes
     * candidates, ascending.
     */
    public record BufferPrefilter(int buffer, List<Pattern> patterns, int[][] rulesOfPattern) {
    }

    /**
     * A buffer a rule inspects after transforms: id {@code id} (at least {@code Buffer.values().length}) is
     * {@code base} with {@code transforms} applied in order, computed by the engine from the base in each run.
     */
    public record DerivedBuffer(int id, Buffer base, List<Transform> transforms) {
    }

    /**
     * One hook's code.
     *
     * @param program the verified program; region {@code k} belongs to rule {@code ruleOfRegion[k]}
     * @param regionOfRule per rule index, its region in this program, or -1 when the rule runs in the other hook
     * @param prefilter the fast patterns, ids 0..n-1
     * @param rulesOfPattern per pattern id, the rule indexes it makes candidates, ascending
     * @param always rules with no positive content and no indexed address list: candidates for every buffer,
     *     ascending
     * @param bySource rules without positive content whose source list is indexed: candidates when the packet's
     *     source (or, for {@code <>}, either address) is in the list; null when there are none
     * @param byDestination the same for rules indexed by their destination list
     * @param byPort rules without positive content or an indexed address list but with a short destination port
     *     list: candidates for packets to those ports; null when there are none
     * @param bySourcePort rules keyed by a short source port list, and {@code <>} rules' reverse direction (packets
     *     from those ports)
     * @param regexes per string index of the program, the regex the {@code regex} helper runs (null for literals)
     * @param unsupported rules (by index) whose inspection the VM cannot hold, with the reason: they never match
     * @param notes per instruction index, the rule keyword whose code starts there (the listing prints them)
     * @param txRules HTTP hook: per rule index, when it runs and which bodies it reads (null for rules of other
     *     hooks); empty for the other hooks
     * @param buffers HTTP hook: the prefilter of each buffer that holds a fast pattern, which is what the engine
     *     scans each buffer with (the hook's {@code prefilter} and {@code rulesOfPattern} are then the union of these,
     *     renumbered in buffer order, for summaries only); empty for the other hooks
     */
    public record HookCode(Hook hook, VerifiedProgram program, int[] ruleOfRegion, int[] regionOfRule,
            List<Pattern> prefilter, int[][] rulesOfPattern, int[] always, AddressIndex bySource,
            AddressIndex byDestination, PortIndex byPort, PortIndex bySourcePort,
            io.judo.matcher.confirm.BoundedRegex[] regexes, java.util.Map<Integer, String> unsupported,
            java.util.Map<Integer, String> notes, TxRule[] txRules, List<BufferPrefilter> buffers) {
        public RuleRegion region(int rule) {
            return program.program().regions().get(regionOfRule[rule]);
        }
    }

    private final List<SuricataRule> rules;
    private final HookCode packet;
    private final HookCode stream;
    private final HookCode http;
    private final Flowbits flowbits;
    private final Xbits xbits;
    private final Flowints flowints;
    private final List<DerivedBuffer> derivedBuffers;

    CompiledRuleSet(List<SuricataRule> rules, HookCode packet, HookCode stream, HookCode http, Flowbits flowbits,
            Xbits xbits, Flowints flowints, List<DerivedBuffer> derivedBuffers) {
        this.xbits = xbits;
        this.flowints = flowints;
        this.rules = rules;
        this.packet = packet;
        this.stream = stream;
        this.http = http;
        this.flowbits = flowbits;
        this.derivedBuffers = List.copyOf(derivedBuffers);
    }

    /** The buffers with transforms that rules inspect, by ascending id (ids follow the buffer table's last row). */
    public List<DerivedBuffer> derivedBuffers() {
        return derivedBuffers;
    }

    /** The rules in evaluation order (pass, drop, reject, alert; flow bit setters before their readers). */
    public List<SuricataRule> rules() {
        return rules;
    }

    public HookCode hook(Hook h) {
        return switch (h) {
            case PACKET -> packet;
            case STREAM -> stream;
            case HTTP -> http;
        };
    }

    /**
     * The rules whose inspection the VM cannot hold (they load but never match), as "gid:sid:rev: reason", in rule
     * order; empty on ET Open today.
     */
    public List<String> unrunnable() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            for (HookCode h : List.of(packet, stream, http)) {
                String why = h.unsupported().get(i);
                if (why != null) {
                    out.add(rules.get(i).id() + ": " + why);
                }
            }
        }
        return out;
    }

    public Flowbits flowbits() {
        return flowbits;
    }

    /** The rule set's flow integers, numbered as its programs' {@code flowint} calls number them. */
    public Flowints flowints() {
        return flowints;
    }

    /** The rule set's xbits, numbered as its programs' {@code xbit} calls number them. */
    public Xbits xbits() {
        return xbits;
    }

    /** The hooks' programs as assembly, each region headed by the rule it came from. */
    public String listing() {
        StringBuilder sb = new StringBuilder();
        for (HookCode h : List.of(packet, stream, http)) {
            if (h.hook() == Hook.HTTP && h.ruleOfRegion().length == 0) {
                continue; // rule sets without HTTP rules list as they did before the hook existed
            }
            sb.append("; ---- ").append(h.hook().name().toLowerCase(java.util.Locale.ROOT)).append(" hook: ")
                    .append(h.ruleOfRegion().length).append(" rules, ").append(h.program().program().length())
                    .append(" instructions, ");
            if (h.hook() == Hook.HTTP) {
                sb.append(h.buffers().stream().mapToInt(p -> p.patterns().size()).sum())
                        .append(" prefilter patterns over ").append(h.buffers().size()).append(" buffers, ")
                        .append(h.always().length).append(" rules run on every transaction\n");
                for (BufferPrefilter p : h.buffers()) {
                    sb.append(";   prefilter ").append(bufferName(p.buffer())).append(": ")
                            .append(p.patterns().size()).append(" patterns\n");
                }
                for (DerivedBuffer d : derivedBuffers) {
                    sb.append(";   buffer ").append(d.id()).append(" = ").append(bufferName(d.id())).append('\n');
                }
            } else {
                sb.append(h.prefilter().size()).append(" prefilter patterns, ").append(h.always().length)
                        .append(" rules run on every packet\n");
            }
            String text = Disassembler.disassemble(h.program().program());
            int region = 0;
            int pc = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("    ")) {
                    String note = h.notes().get(pc++);
                    if (note != null) {
                        sb.append("    ; ").append(note).append('\n');
                    }
                }
                if (line.startsWith(".rule ")) {
                    int index = h.ruleOfRegion()[region++];
                    SuricataRule r = rules.get(index);
                    sb.append("; ").append(r.file()).append(':').append(r.line()).append(" sid ").append(r.id())
                            .append(" \"").append(r.msg()).append("\"\n");
                    if (h.hook() == Hook.HTTP) {
                        TxRule t = h.txRules()[index];
                        sb.append(";   runs ").append(t.direction() == 0 ? "to_server" : t.direction() == 1
                                ? "to_client" : "both ways").append(t.requestBody() ? ", reads the request body" : "")
                                .append(t.responseBody() ? ", reads the response body" : "").append('\n');
                    }
                }
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** A buffer id as a rule writes it: {@code http.uri}, or {@code http.uri; to_lowercase} for a derived one. */
    public String bufferName(int id) {
        Buffer b = Buffer.of(id);
        if (b != null) {
            return b.text();
        }
        for (DerivedBuffer d : derivedBuffers) {
            if (d.id() == id) {
                StringBuilder sb = new StringBuilder(d.base().text());
                d.transforms().forEach(t -> sb.append("; ").append(t.keyword()));
                return sb.toString();
            }
        }
        return "buffer " + id;
    }
}
