package io.judo.rewrite.flow;

/**
 * A flow's rewriting state: its two directions' {@link DirectionState}s (0: client to server) and its address
 * mapping, fixed by the first packet a nat-to or rdr-to rule matched. Created at a flow's first rewrite, so plain
 * scans never pay for it.
 */
public final class FlowRewrite {
    private final DirectionState[] directions = {new DirectionState(), new DirectionState()};
    /** nat-to of the flow: the address (null for none), port (-1 keeps it), direction it was set for. */
    byte[] natAddress;
    int natPort = -1;
    int natDirection;
    /** rdr-to of the flow, likewise. */
    byte[] rdrAddress;
    int rdrPort = -1;
    int rdrDirection;
    /** Inline: the way back for this flow's replies is recorded in the rewriter's {@link FlowRewriter#replies}. */
    boolean replyRecorded;

    /** Direction {@code d}'s state. */
    public DirectionState direction(int d) {
        return directions[d];
    }

    /** The nat-to address the flow's source is mapped to, or null. */
    public byte[] natAddress() {
        return natAddress;
    }

    /** The nat-to port, or -1 when the port is kept. */
    public int natPort() {
        return natPort;
    }

    /** The rdr-to address the flow's destination is mapped to, or null. */
    public byte[] rdrAddress() {
        return rdrAddress;
    }

    /** The rdr-to port, or -1 when the port is kept. */
    public int rdrPort() {
        return rdrPort;
    }
}
