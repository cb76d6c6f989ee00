package io.judo.cli;

import io.judo.journal.EventType;
import io.judo.reassembly.MemcapAction;
import io.judo.reassembly.OverlapPolicy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The fixed sets of words that options take, as picocli completion candidates. An option that names one of them
 * ({@code completionCandidates = Choices.X.class}) gets any other value rejected before its command runs, by
 * {@link OptionChecks}, with the words listed; so every such option fails the same way, and the options test finds
 * them all from picocli's model.
 */
final class Choices {
    private Choices() {
    }

    /** A fixed list of words. */
    abstract static class Words implements Iterable<String> {
        private final List<String> words;

        Words(List<String> words) {
            this.words = words;
        }

        @Override
        public Iterator<String> iterator() {
            return words.iterator();
        }
    }

    /** TCP overlap policies ({@code --policy}). */
    static final class OverlapPolicies extends Words {
        OverlapPolicies() {
            super(Arrays.stream(OverlapPolicy.values()).map(OverlapPolicy::text).toList());
        }
    }

    /** How rule programs run ({@code --engine}). */
    static final class VmEngines extends Words {
        VmEngines() {
            super(List.of("interp", "jit"));
        }
    }

    /** Prefilter backends ({@code --matcher}, {@code grep --engine}). */
    static final class Matchers extends Words {
        Matchers() {
            super(Arrays.stream(io.judo.matcher.Engine.values()).map(e -> e.name().toLowerCase(Locale.ROOT))
                    .toList());
        }
    }

    /** Checksum validation modes ({@code --checksum-validation}). */
    static final class ChecksumModes extends Words {
        ChecksumModes() {
            super(Arrays.stream(io.judo.engine.ChecksumMode.values()).map(m -> m.name().toLowerCase(Locale.ROOT))
                    .toList());
        }
    }

    /** Rule languages ({@code --lang}). */
    static final class Languages extends Words {
        Languages() {
            super(List.of("suricata", "judo"));
        }
    }

    /** Journal file cycles ({@code --journal-roll}). */
    static final class JournalRolls extends Words {
        JournalRolls() {
            super(List.of("daily", "hourly"));
        }
    }

    /** Journal event types a user can select ({@code journal --type}); RULE records only name rules. */
    static final class EventTypes extends Words {
        EventTypes() {
            super(Arrays.stream(EventType.values()).filter(t -> t != EventType.RULE).map(EventType::text).toList());
        }
    }

    /** {@code journal query --format}. */
    static final class QueryFormats extends Words {
        QueryFormats() {
            super(List.of("table", "json", "csv", "eve"));
        }
    }

    /** {@code streams --memcap-policy}. */
    static final class MemcapActions extends Words {
        MemcapActions() {
            super(Arrays.stream(MemcapAction.values()).map(MemcapAction::text).toList());
        }
    }
}
