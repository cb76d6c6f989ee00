package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.testing.ExternalTools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGINT or SIGTERM to {@code judo scan} in a child JVM: it stops reading, finishes the packet in hand,
 * flushes and closes EVE, journal and the written pcap, prints the summary marked interrupted, and exits 130.
 *
 * <p>No timing is involved: the capture is fed through standard input, so the child is still reading when the signal
 * arrives. The signal is sent once the EVE file has bytes (judo flushes EVE only in 8 KB blocks before the end, so
 * the scan has started and its signal handlers are in place), then the rest of the capture follows; judo reads at
 * most one more record after the signal.
 */
class ScanSignalTest {
    @TempDir
    Path dir;

    private interface Signal {
        void send(Process p) throws Exception;
    }

    private void interrupt(Signal signal, String name) throws Exception {
        ExternalTools.require("python3");
        Path capture = dir.resolve("big.pcap");
        try (OutputStream out = Files.newOutputStream(capture)) {
            new TrafficGenerator(11).write(out, 50_000, Long.MAX_VALUE);
        }
        Path rules = Files.writeString(dir.resolve("all.rules"),
                "alert tcp any any -> any any (msg:\"tcp packet\"; sid:1; rev:1;)\n"
                        + "alert udp any any -> any any (msg:\"udp packet\"; sid:2; rev:1;)\n");
        Path eve = dir.resolve("eve.json");
        Path journal = dir.resolve("journal");
        Path written = dir.resolve("written.pcap");
        ChildJudo child = ChildJudo.start("scan", "--rules", rules.toString(), "--eve", eve.toString(), "--journal",
                journal.toString(), "--write", written.toString(), "-");
        byte[] bytes = Files.readAllBytes(capture);
        int sent = 0;
        OutputStream in = child.stdin();
        while (sent < bytes.length && (!Files.exists(eve) || Files.size(eve) == 0)) {
            int n = Math.min(16 * 1024, bytes.length - sent);
            try {
                in.write(bytes, sent, n);
            } catch (IOException e) {
                Run early = child.finish();
                throw new AssertionError("judo ended before the signal: exit " + early.status() + "\n" + early.out()
                        + early.err(), e);
            }
            in.flush();
            sent += n;
            if (Files.exists(eve) && Files.size(eve) > 0) {
                break;
            }
            // let the child catch up with what the pipe holds before writing more
            for (int i = 0; i < 50 && (!Files.exists(eve) || Files.size(eve) == 0); i++) {
                Thread.sleep(10);
            }
        }
        assertTrue(sent < bytes.length, "the whole capture went in before any EVE output");
        signal.send(child.process());
        int from = sent;
        // The rest on another thread: judo stops reading, so this write may block until it exits (broken pipe).
        CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
            try (in) {
                in.write(bytes, from, bytes.length - from);
            } catch (IOException e) {
                // judo stopped reading and exited: expected
            }
        });
        Run r = child.finish();
        rest.get(30, TimeUnit.SECONDS);

        assertEquals(Judo.EXIT_INTERRUPTED, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("\ninterrupted by " + name + ": stopped reading"), r.out());
        assertTrue(r.out().contains("file       stdin  pcap"), r.out());
        assertTrue(r.out().contains("(interrupted)"), r.out());
        long total = Run.judo("scan", "--json", capture.toString()).json("packets");
        Matcher m = Pattern.compile("(?m)^packets +([\\d,]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        long scanned = Long.parseLong(m.group(1).replace(",", ""));
        assertTrue(scanned > 0 && scanned < total, scanned + " of " + total);

        // every EVE line is whole JSON; its alerts are the journal's
        String eveAlerts = ExternalTools.run("python3", "-c", "import json,sys\n"
                + "n=0\n"
                + "for line in open(sys.argv[1]):\n"
                + "    e=json.loads(line)\n"
                + "    n+=e.get('event_type')=='alert'\n"
                + "print(n)", eve.toString()).strip();
        Run stats = Run.judo("journal", "stats", "--json", "--type", "alert", journal.toString());
        assertEquals(0, stats.status(), stats.err());
        assertEquals(Long.parseLong(eveAlerts), stats.json("events"));
        Matcher alerts = Pattern.compile("(?m)^alerts +([\\d,]+)").matcher(r.out());
        assertTrue(alerts.find(), r.out());
        assertEquals(Long.parseLong(alerts.group(1).replace(",", "")), Long.parseLong(eveAlerts));
        assertTrue(Long.parseLong(eveAlerts) > 0);

        // the written capture is complete: readable to its end, holding the packets the summary says were written
        Run w = Run.judo("scan", "--json", written.toString());
        assertEquals(0, w.status(), w.err());
        assertTrue(w.out().contains("\"status\":\"complete\""), w.out());
        Matcher wrote = Pattern.compile("written +\\S+: ([\\d,]+) packets").matcher(r.out());
        assertTrue(wrote.find(), r.out());
        assertEquals(Long.parseLong(wrote.group(1).replace(",", "")), w.json("packets"));
        assertTrue(w.json("packets") > 0);
    }

    @Test
    void sigintStopsCleanly() throws Exception {
        interrupt(p -> ExternalTools.run("kill", "-INT", Long.toString(p.pid())), "SIGINT");
    }

    @Test
    void sigtermStopsCleanly() throws Exception {
        // ProcessHandle.destroy sends SIGTERM, as Process.destroy does, but leaves the child's output open to read
        interrupt(p -> assertTrue(p.toHandle().destroy()), "SIGTERM");
    }
}
