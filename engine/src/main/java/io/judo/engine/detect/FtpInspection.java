package io.judo.engine.detect;

import io.judo.matcher.PatternDatabase;
import io.judo.rules.ir.Inspection;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * Which rules of the transaction hook run on FTP commands, and their prefilter. An FTP rule reads an FTP buffer
 * ({@code ftp.command}, {@code ftp.command_data}) or uses {@code ftpbounce}. It runs once per command, when the
 * command line is read, towards the server (everything it reads is the client's; a rule to the client never runs
 * here), with the stream chunk that completed the line as its packet data. The prefilter scans the FTP buffers that
 * hold fast patterns and, for fast patterns in the packet data, that chunk. Allocates nothing per command. An
 * {@code alert ftp-data} rule reading {@code file.data} runs once per data connection, when it ends, over the bytes
 * its sending side carried, in that direction. A rule testing {@code app-layer-event:ftp.*} runs once per command
 * too, but when the command is done (its reply read, or the flow over), since a reply can raise the event.
 */
final class FtpInspection implements AutoCloseable {
    private final boolean[] runs;
    /** Per rule, whether it tests an FTP event (run once per command, when it is done: its reply is read). */
    private final boolean[] runsDone;
    private final boolean anyDone;
    /** Per rule, whether it is an ftp-data rule reading file.data (run once per data connection, at its end). */
    private final boolean[] runsData;
    private final BufferScanners dataScanners;
    private final boolean anyData;
    private final BufferScanners scanners;
    private final boolean any;

    /**
     * @param list the rule set's rules (indexes as the hook's)
     * @param code the transaction hook's code
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param source the buffers, to tell which prefilter buffers are FTP buffers
     * @param candidates the marks scanning sets
     */
    FtpInspection(List<SuricataRule> list, CompiledRuleSet.HookCode code, PatternDatabase[] dbs, FtpBuffers source,
            Candidates candidates) {
        this.runs = new boolean[list.size()];
        this.runsDone = new boolean[list.size()];
        boolean foundDone = false;
        this.runsData = new boolean[list.size()];
        boolean found = false;
        boolean foundData = false;
        for (int rule : code.ruleOfRegion()) {
            boolean ftp = false;
            boolean file = false;
            boolean event = list.get(rule).appEvents().stream().anyMatch(e -> e.startsWith("ftp."));
            for (Inspection i : list.get(rule).transactionInspections()) {
                ftp |= i.buffer().ftp();
                file |= i.buffer() == Buffer.FILE_DATA || i.buffer() == Buffer.FTPDATA_COMMAND;
            }
            if (file && list.get(rule).appProtos().stream().anyMatch(p -> !p.negated()
                    && p.id() == io.judo.vm.interp.Helpers.APP_PROTO_FTP_DATA)) {
                runsData[rule] = true;
                foundData = true;
            }
            if ((ftp || event) && code.txRules()[rule].direction() != 1) {
                // an event may come with the reply: such a rule waits for the command to be done
                runs[rule] = !event;
                runsDone[rule] = event;
                found |= !event;
                foundDone |= event;
            }
        }
        this.any = found;
        this.anyDone = foundDone;
        this.anyData = foundData;
        this.dataScanners = new BufferScanners(code, dbs, id -> anyData && source.baseOf(id) == Buffer.FILE_DATA,
                candidates);
        this.scanners = new BufferScanners(code, dbs, id -> {
            Buffer b = source.baseOf(id);
            return (any || anyDone) && b != null && (b.ftp() || b == Buffer.STREAM);
        }, candidates);
    }

    /** Whether any rule runs on FTP commands. */
    boolean any() {
        return any;
    }

    /** Whether any rule runs on FTP commands when they are done (it tests an FTP event). */
    boolean anyDone() {
        return anyDone;
    }

    /** Whether rule {@code rule} runs on FTP commands when they are done. */
    boolean runsDone(int rule) {
        return runsDone[rule];
    }

    /** Whether any ftp-data rule reads file.data. */
    boolean anyData() {
        return anyData;
    }

    /** Whether rule {@code rule} runs on FTP-DATA flows' bytes, in direction {@code dir}. */
    boolean runsData(int rule, int dir, CompiledRuleSet.HookCode code) {
        int d = code.txRules()[rule].direction();
        return runsData[rule] && (d < 0 || d > 1 || d == dir);
    }

    /** Marks the candidates whose fast pattern occurs in the data flow's file.data. */
    void scanData(FtpBuffers source) {
        dataScanners.scanOneEachAndChunk(source, null, 0);
    }

    /** Whether rule {@code rule} runs on FTP commands. */
    boolean runs(int rule) {
        return runs[rule];
    }

    /** Marks the candidates whose fast pattern occurs in an FTP buffer or in the chunk ({@code window} null: none). */
    void scan(FtpBuffers source, byte[] window, int windowLength) {
        scanners.scanOneEachAndChunk(source, window, windowLength);
    }

    @Override
    public void close() {
        scanners.close();
        dataScanners.close();
    }
}
