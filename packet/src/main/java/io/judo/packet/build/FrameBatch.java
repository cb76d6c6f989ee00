package io.judo.packet.build;

import io.judo.packet.capture.PcapWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The frames of a few sessions that run at once, written to a capture merged by time, as a busy client, proxy or
 * gateway would show them. The sort is stable, so where two sessions' times tie each keeps its own order.
 */
final class FrameBatch {
    private final List<TcpConversation.Frame> frames = new ArrayList<>();
    private long end;

    /** A batch whose sessions start at or after {@code start}. */
    FrameBatch(long start) {
        this.end = start;
    }

    /** Adds one session's frames, in order; {@code sessionEnd} is the time its last frame leaves behind. */
    void add(List<TcpConversation.Frame> session, long sessionEnd) {
        frames.addAll(session);
        end = Math.max(end, sessionEnd);
    }

    /** The latest end of the sessions added. */
    long end() {
        return end;
    }

    /** Writes the frames merged by time; returns the bytes the capture grew by (16-byte record headers included). */
    long write(PcapWriter w) throws IOException {
        frames.sort(Comparator.comparingLong(TcpConversation.Frame::timestampNanos));
        long bytes = 0;
        for (TcpConversation.Frame f : frames) {
            w.write(f.timestampNanos(), f.bytes(), 0, f.bytes().length, f.bytes().length);
            bytes += f.bytes().length + 16;
        }
        return bytes;
    }

    /** Frames in the batch. */
    int size() {
        return frames.size();
    }
}
