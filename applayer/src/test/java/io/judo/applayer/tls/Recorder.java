package io.judo.applayer.tls;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps events and counts callbacks, and summarizes a session for comparisons. */
final class Recorder implements TlsListener {
    final List<String> events = new ArrayList<>();
    int clientHellos;
    int serverHellos;
    int certificates;

    @Override
    public void clientHello(TlsSession s) {
        clientHellos++;
    }

    @Override
    public void serverHello(TlsSession s) {
        serverHellos++;
    }

    @Override
    public void certificates(TlsSession s, int dir) {
        certificates++;
    }

    @Override
    public void event(TlsSession s, int dir, TlsEvent e) {
        events.add(dir + ":" + e.name());
    }

    /** Everything the parser extracted, as one comparable string. */
    String summary(TlsSession s) {
        StringBuilder b = new StringBuilder();
        TlsHello c = s.client();
        TlsHello v = s.server();
        b.append("ch=").append(clientHellos).append(" sh=").append(serverHellos).append(" cert=").append(certificates)
            .append(" flags=").append(s.flags()).append(" version=").append(s.version())
            .append(" sni=").append(c.sni()).append(" ja3=").append(c.ja3String()).append('/').append(c.ja3Hash())
            .append(" ja4=").append(c.ja4()).append(" ja3s=").append(v.ja3String()).append('/').append(v.ja3Hash())
            .append(" alpn=").append(String.join(",", c.alpn()))
            .append(" enc=").append(s.encrypted(0)).append(s.encrypted(1))
            .append(" app=").append(s.applicationRecords(0)).append('/').append(s.applicationBytes(0)).append(',')
            .append(s.applicationRecords(1)).append('/').append(s.applicationBytes(1));
        for (int d = 0; d < 2; d++) {
            for (int i = 0; i < s.certificateCount(d); i++) {
                TlsCertificate t = s.certificate(d, i);
                b.append("\n cert ").append(d).append(' ').append(i).append(' ').append(t.subject()).append(" | ")
                    .append(t.issuer()).append(" | ").append(t.serial()).append(" | ").append(t.fingerprint())
                    .append(" | ").append(t.notBefore()).append('-').append(t.notAfter());
            }
        }
        b.append("\n events=").append(events);
        return b.toString();
    }
}
