package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * The payload of HEARTBEAT frames, echoed as is in HEARTBEAT_ACK (so the answer is never larger
 * than the question): a sequence number, the send time, and how often the client sends heartbeats
 * on each conn, which tells the server how soon a silent conn is no longer worth a reply.
 */
public final class Heartbeat {
    public static final int SIZE = 16;

    private Heartbeat() {
    }

    /** Writes the payload into {@code buf} (cleared) and flips it for sending. */
    public static ByteBuffer write(ByteBuffer buf, int seq, long sentNanos, int spacingMillis) {
        buf.clear();
        buf.putInt(seq).putLong(sentNanos).putInt(spacingMillis);
        return buf.flip();
    }

    public static int seq(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset);
    }

    public static long sentNanos(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset + 4);
    }

    /** How many milliseconds apart the client sends heartbeats on one conn. */
    public static int spacingMillis(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset + 12);
    }
}
