package io.rsock.core.frame;

import java.nio.ByteBuffer;

/** The payload of HEARTBEAT frames, echoed as is in HEARTBEAT_ACK: a sequence number and the send time. */
public final class Heartbeat {
    public static final int SIZE = 12;

    private Heartbeat() {
    }

    /** Writes the payload into {@code buf} (cleared) and flips it for sending. */
    public static ByteBuffer write(ByteBuffer buf, int seq, long sentNanos) {
        buf.clear();
        buf.putInt(seq).putLong(sentNanos);
        return buf.flip();
    }

    public static int seq(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset);
    }

    public static long sentNanos(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset + 4);
    }
}
