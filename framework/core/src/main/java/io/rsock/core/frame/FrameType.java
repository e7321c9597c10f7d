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
     * Client to server, the first frame on every new conn and whenever the client does not know (or
     * doubts) the server's run: its wall-clock time, a nonce used once, and its run nonce ({@link Hello}).
     * Its header's counter becomes the floor of the client's replay window at the server.
     */
    public static final int HELLO = 5;
    /**
     * Server to client, on the conn of the HELLO it answers: the HELLO's nonce and the server's run nonce.
     * Never larger than the HELLO, nothing of the app's.
     */
    public static final int HELLO_ACK = 6;
    /**
     * Either way, on another conn: the conn named in the payload ({@link ConnGone}) died at the
     * sender's end (RST, FIN); stop using it now. Keyed under the association like DATA.
     */
    public static final int CONN_GONE = 7;

    private FrameType() {
    }

    public static boolean isKnown(int type) {
        return type >= DATA && type <= CONN_GONE;
    }

    public static String name(int type) {
        return switch (type) {
            case DATA -> "data";
            case HEARTBEAT -> "heartbeat";
            case HEARTBEAT_ACK -> "heartbeat-ack";
            case CLOSE -> "close";
            case HELLO -> "hello";
            case HELLO_ACK -> "hello-ack";
            case CONN_GONE -> "conn-gone";
            default -> "type-" + type;
        };
    }
}
