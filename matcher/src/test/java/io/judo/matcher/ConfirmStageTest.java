package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.matcher.confirm.ConfirmStage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfirmStageTest {
    private static List<long[]> run(ConfirmStage c, String... chunks) {
        List<long[]> hits = new ArrayList<>();
        ConfirmStage.Window w = c.openWindow();
        for (String chunk : chunks) {
            byte[] b = chunk.getBytes(StandardCharsets.ISO_8859_1);
            c.scan(w, ByteBuffer.wrap(b), 0, b.length, (id, start, end) -> hits.add(new long[] {id, start, end}));
        }
        return hits;
    }

    /** The regex runs only on windows holding the required literal ("&pass=" is the longest; "user=" also is). */
    @Test
    void requiredLiteralPrefilterSkipsChunksThatCannotMatch() {
        ConfirmStage c = new ConfirmStage(List.of(new Pattern(5, "user=(\\w+)&pass=\\1", Set.of(PatternFlag.SOM))));
        List<long[]> hits = run(c, "nothing here", "still nothing", "x user=bob&pa", "ss=bob y");
        assertEquals(1, hits.size());
        assertEquals(5, hits.get(0)[0]);
        assertEquals(27, hits.get(0)[1], "start, absolute in the stream: 12 + 13 + 2");
        assertEquals(44, hits.get(0)[2], "end, in the chunk that completed the match: 27 + 17");
        assertEquals(3, c.skipped(), "no window held \"&pass=\" before the fourth chunk");
        assertEquals(1, c.runs());
    }

    @Test
    void caselessPrefilter() {
        ConfirmStage c = new ConfirmStage(List.of(new Pattern(1, "admin(?=!)", Set.of(PatternFlag.CASELESS))));
        assertEquals(1, run(c, "xx ADMIN! yy").size());
        assertEquals(0, c.skipped());
    }
}
