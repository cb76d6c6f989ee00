package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.ssh.SshBuffer;
import io.judo.applayer.ssh.SshSession;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * The buffers of one SSH connection for the VM's buffer table, read in place from the parser's session: each SSH
 * {@link Buffer} row is the {@link SshBuffer} of the same name; {@code ssh.proto} and {@code ssh.software} read the
 * banner of the run's direction (the client's to the server), the hassh rows always the client's KEXINIT and the
 * hassh.server rows the server's, as Suricata's keywords do. A derived buffer (with transforms) is computed from its
 * base when selected. Reused for every connection.
 */
final class SshBuffers extends ElementBuffers {
    private static final Buffer[] ROWS = Buffer.values();
    /** Per buffer row, the parser's buffer of that name, or null. */
    private static final SshBuffer[] SSH = new SshBuffer[ROWS.length];

    static {
        for (SshBuffer t : SshBuffer.values()) {
            SSH[Buffer.named(t.text()).id()] = t;
        }
    }

    private SshSession session;
    private int direction;

    /** @param derived the rule set's derived buffers (those over an SSH buffer are computed here) */
    SshBuffers(List<DerivedBuffer> derived) {
        super(derived);
    }

    /** Starts an inspection of {@code s} in direction {@code dir}. */
    void inspect(SshSession s, int dir) {
        this.session = s;
        this.direction = dir;
        this.element = 0;
    }

    @Override
    boolean row(Buffer b, Slice out) {
        SshBuffer t = SSH[b.id()];
        return session != null && t != null && session.fill(t, direction, out);
    }
}
