package io.rsock.core.frame;

/** What a frame carries. The wire value is the low nibble of the frame's first byte. */
public final class FrameType {
    /** An app datagram (or a fragment of one) of session {@code sessionId}. */
    public static final int DATA = 1;
    /** Client to server, on one conn: "are you there?", carrying the send time; measures RTT and loss. */
    public static final int HEARTBEAT = 2;
    /**
     * Server to client, on the heartbeat's conn: its sequence and time echoed, and what the server
     * received and sent there ({@link Heartbeat}); never larger than the heartbeat.
     */
    public static final int HEARTBEAT_ACK = 3;
    /** Client to server: the app flow of {@code sessionId} went idle; the server frees its socket. */
    public static final int CLOSE = 4;
    /**
     * Either way, on another conn: the conn named in the payload ({@link ConnGone}) died at the
     * sender's end (RST, FIN); stop using it now.
     */
    public static final int CONN_GONE = 7;

    private FrameType() {
    }

    public static boolean isKnown(int type) {
        return (type >= DATA && type <= CLOSE) || type == CONN_GONE;
    }

    public static String name(int type) {
        return switch (type) {
            case DATA -> "data";
            case HEARTBEAT -> "heartbeat";
            case HEARTBEAT_ACK -> "heartbeat-ack";
            case CLOSE -> "close";
            case CONN_GONE -> "conn-gone";
            default -> "type-" + type;
        };
    }
}
