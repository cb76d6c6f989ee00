package io.judo.applayer.ssh;

import io.judo.applayer.Slice;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps events and callbacks in order, and summarizes a session for comparisons. */
final class Recorder implements SshListener {
    final List<String> events = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public void banner(SshSession s, int dir) {
        calls.add("banner" + dir);
    }

    @Override
    public void kexinit(SshSession s, int dir) {
        calls.add("kexinit" + dir);
    }

    @Override
    public void encrypted(SshSession s, int dir) {
        calls.add("encrypted" + dir);
    }

    @Override
    public void event(SshSession s, int dir, SshEvent e) {
        events.add(dir + ":" + e.text());
    }

    /** Everything the parser extracted, as one comparable string. */
    String summary(SshSession s) {
        StringBuilder b = new StringBuilder();
        Slice sl = new Slice();
        for (int d = 0; d < 2; d++) {
            b.append("dir ").append(d).append(": banner=").append(s.bannerLine(d)).append(" proto=")
                .append(s.protoVersion(d)).append(" software=").append(s.softwareVersion(d)).append(" pre=")
                .append(s.preBannerLines(d)).append(" hassh=").append(s.hassh(d)).append('/')
                .append(s.hasshString(d)).append(" hostkey=").append(s.nameList(d, SshSession.NameList.HOST_KEY))
                .append(" records=").append(s.records(d)).append(" enc=").append(s.encrypted(d)).append('/')
                .append(s.encryptedBytes(d)).append(" progress=").append(s.progress(d));
            for (SshBuffer buf : SshBuffer.values()) {
                b.append(' ').append(buf.text()).append('=').append(s.fill(buf, d, sl) ? sl.toString() : "-");
            }
            b.append('\n');
        }
        b.append("calls=").append(calls).append(" events=").append(events);
        return b.toString();
    }
}
