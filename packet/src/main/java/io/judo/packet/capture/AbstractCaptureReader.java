package io.judo.packet.capture;

import java.io.IOException;

/** What the pcap and pcapng readers share: the input window and the sticky early ending with its offset. */
abstract class AbstractCaptureReader implements CaptureReader {
    protected final CaptureInput input;
    private ReadStatus ending;
    private long problemOffset = -1;
    private String problem;

    AbstractCaptureReader(CaptureInput input) {
        this.input = input;
    }

    /** Records why the capture ends early; every later {@code next} returns the same status. */
    protected final ReadStatus fail(ReadStatus status, long offset, String message) {
        ending = status;
        problemOffset = offset;
        problem = message;
        return status;
    }

    /** The early ending already recorded, or null while reading can go on. */
    protected final ReadStatus ended() {
        return ending;
    }

    @Override
    public final long problemOffset() {
        return problemOffset;
    }

    @Override
    public final String problem() {
        return problem;
    }

    @Override
    public final long position() {
        return input.position();
    }

    @Override
    public final void close() throws IOException {
        input.close();
    }
}
