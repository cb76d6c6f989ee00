package io.judo.engine.detect;

import io.judo.vm.Program;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code app_event} helper's string arguments resolved to an application layer's event ordinals: a rule names a
 * DNS, TLS, SSH, SMTP or FTP event with its layer's prefix ({@code dns.NAME}, ...) and an HTTP event bare, by its text
 * in any case or its enum name. Each layer's names are one map, so a program's strings (tens of thousands for ET
 * Open, most of them contents) are each looked up once, not compared with every event of every layer.
 */
final class EventNames {
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> caseless = new HashMap<>();

    private EventNames() {
    }

    /** The events {@code values}, each named {@code prefix} + its text. */
    static <E extends Enum<E>> EventNames prefixed(String prefix, E[] values, Function<E, String> text) {
        EventNames n = new EventNames();
        for (E e : values) {
            n.exact.put(prefix + text.apply(e), e.ordinal());
        }
        return n;
    }

    /** The events {@code values}, each named by its enum name, or by its text in any case. */
    static <E extends Enum<E>> EventNames bare(E[] values, Function<E, String> text) {
        EventNames n = new EventNames();
        for (E e : values) {
            n.exact.put(e.name(), e.ordinal());
            n.caseless.put(text.apply(e).toLowerCase(Locale.ROOT), e.ordinal());
        }
        return n;
    }

    /** A program's strings as text, decoded once for every layer's {@link #ordinals}. */
    static String[] names(Program p) {
        String[] names = new String[p.strings().size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new String(p.strings().get(i), StandardCharsets.ISO_8859_1);
        }
        return names;
    }

    /** Per string of a program ({@link #names}), the ordinal of the event it names, or -1. */
    int[] ordinals(String[] names) {
        int[] of = new int[names.length];
        for (int i = 0; i < of.length; i++) {
            String name = names[i];
            Integer e = exact.get(name);
            if (e == null && !caseless.isEmpty()) {
                e = caseless.get(name.toLowerCase(Locale.ROOT));
            }
            of[i] = e == null ? -1 : e;
        }
        return of;
    }
}
