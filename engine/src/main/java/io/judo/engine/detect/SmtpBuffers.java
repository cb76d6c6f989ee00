package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.smtp.SmtpBuffer;
import io.judo.applayer.smtp.SmtpTransaction;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * The buffers of one SMTP transaction (a mail) for the VM's buffer table, read in place from the parser: the
 * connection's HELO, the mail's MAIL FROM, each RCPT TO (a multi-buffer), and {@code file.data}, each file's decoded
 * bytes (a multi-buffer: a MIME part with a filename, as Suricata's files). Element k is the k-th recipient and the
 * k-th file at once. A derived buffer (with transforms) is computed from its base when selected. Reused for every
 * mail.
 */
final class SmtpBuffers extends ElementBuffers {
    private SmtpTransaction tx;

    /** @param derived the rule set's derived buffers (those over an SMTP buffer are computed here) */
    SmtpBuffers(List<DerivedBuffer> derived) {
        super(derived);
    }

    /** Starts an inspection of {@code t}: element 0 current. */
    void inspect(SmtpTransaction t) {
        this.tx = t;
        this.element = 0;
    }

    /** Elements of the multi-buffer {@code b} reads ({@code smtp.rcpt_to}, {@code file.data}), 1 for the others. */
    int count(Buffer b) {
        return switch (b) {
            case SMTP_RCPT_TO -> tx == null ? 0 : tx.count(SmtpBuffer.RCPT_TO);
            case FILE_DATA -> tx == null ? 0 : tx.count(SmtpBuffer.FILE_DATA);
            default -> 1;
        };
    }

    @Override
    boolean row(Buffer b, Slice out) {
        if (tx == null) {
            return false;
        }
        return switch (b) {
            case SMTP_HELO -> tx.fill(SmtpBuffer.HELO, 0, out);
            case SMTP_MAIL_FROM -> tx.fill(SmtpBuffer.MAIL_FROM, 0, out);
            case SMTP_RCPT_TO -> tx.fill(SmtpBuffer.RCPT_TO, element, out);
            case FILE_DATA -> tx.fill(SmtpBuffer.FILE_DATA, element, out);
            default -> false;
        };
    }
}
