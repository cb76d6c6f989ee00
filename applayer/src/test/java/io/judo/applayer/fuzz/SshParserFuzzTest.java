package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.Slice;
import io.judo.applayer.TestSupport;
import io.judo.applayer.ssh.SshBuffer;
import io.judo.applayer.ssh.SshConfig;
import io.judo.applayer.ssh.SshEvent;
import io.judo.applayer.ssh.SshListener;
import io.judo.applayer.ssh.SshParser;
import io.judo.applayer.ssh.SshSession;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the SSH parser: the input is one direction's bytes (seeds are a real OpenSSH 9.2
 * client's and server's streams, banner to the first encrypted bytes), fed to both directions cut at random points
 * with gaps now and then, with small limits so the long-banner, pre-banner and long-KEXINIT paths are reachable, every
 * buffer filled and every field read at every callback. Nothing may throw. Every build fuzzes this for 10 s
 * (applayer/pom.xml).
 */
class SshParserFuzzTest {
    private static final SshBuffer[] BUFFERS = SshBuffer.values();
    private final Slice slice = new Slice();

    private final SshListener fillEverything = new SshListener() {
        private void touch(SshSession s) {
            for (int dir = 0; dir < 2; dir++) {
                for (SshBuffer b : BUFFERS) {
                    s.fill(b, dir, slice);
                }
                s.protoVersion(dir);
                s.softwareVersion(dir);
                s.hasshString(dir);
                for (SshSession.NameList l : SshSession.NameList.values()) {
                    s.nameList(dir, l);
                }
                s.progress(dir);
            }
        }

        @Override public void banner(SshSession s, int dir) { touch(s); }
        @Override public void kexinit(SshSession s, int dir) { touch(s); }
        @Override public void encrypted(SshSession s, int dir) { touch(s); }
        @Override public void event(SshSession s, int dir, SshEvent e) { touch(s); }
    };

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrows(FuzzedDataProvider data) {
        // numbers come from the end of the input, bytes from the front: seeds are a stream then eight bytes
        long cutSeed = data.consumeLong();
        byte[] b = data.consumeRemainingAsBytes();
        Random rnd = new Random(cutSeed);
        SshConfig cfg = rnd.nextBoolean() ? SshConfig.defaults() : SshConfig.defaults().withLimits(
            8 + rnd.nextInt(300), rnd.nextInt(200), rnd.nextInt(2000));
        SshParser p = new SshParser(cfg, fillEverything);
        TestSupport.bothDirectionsWithGaps(b, rnd, p::data, p::gap, p::end);
        p.reset();
        p.data(1, b, 0, b.length);
    }
}
