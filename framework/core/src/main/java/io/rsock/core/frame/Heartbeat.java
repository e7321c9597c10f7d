package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * The payloads of HEARTBEAT and HEARTBEAT_ACK frames, big-endian. Both carry delivery reports
 * (16 bytes each: frames small, medium, large and bytes, counted on the conn since it opened; see
 * {@code io.rsock.core.pool.DeliveryReport}), which is how each end learns what the other received.
 *
 * <pre>
 * HEARTBEAT, client to server, {@value #SIZE} bytes:
 *   0  sequence number                  u32
 *   4  send time, client's clock, ns    u64   (echoed: RTT)
 *  12  heartbeat spacing on a conn, ms  u32   (how soon a silent conn stops getting replies)
 *  16  conn id                          u32   (random per conn; names it in a CONN_GONE)
 *  20  sequence of the last answer the client got on this conn  u32
 *  24  report: what that answer said the server had sent on this conn
 *  40  report: what the client had received on this conn when that answer arrived
 *
 * HEARTBEAT_ACK, server to client, on the conn of the heartbeat, {@value #ACK_SIZE} bytes
 * (never larger than the heartbeat: the server amplifies nothing):
 *   0  sequence number, echoed          u32
 *   4  send time, echoed                u64
 *  12  report: what the server had received on this conn when the heartbeat arrived
 *  28  report: what the server had sent on this conn when this answer left
 * </pre>
 *
 * A heartbeat and its answer are markers: each travels its conn behind the frames sent before it,
 * so a report taken as a marker leaves or arrives compares like with like.
 */
public final class Heartbeat {
    public static final int SIZE = 56;
    public static final int ACK_SIZE = 44;
    /** Offsets in a heartbeat. */
    public static final int CONN_ID = 16;
    public static final int ANSWER_SEQ = 20;
    public static final int ANSWER_SENT = 24;
    public static final int ANSWER_RECEIVED = 40;
    /** Offsets in an answer. */
    public static final int ACK_RECEIVED = 12;
    public static final int ACK_SENT = 28;

    private Heartbeat() {
    }

    /**
     * Starts a heartbeat's payload in {@code buf} (cleared): the fields before the reports, which
     * the caller puts next ({@link #ANSWER_SENT}, then {@link #ANSWER_RECEIVED}) before flipping.
     */
    public static ByteBuffer begin(ByteBuffer buf, int seq, long sentNanos, int spacingMillis, int connId, int answerSeq) {
        buf.clear();
        return buf.putInt(seq).putLong(sentNanos).putInt(spacingMillis).putInt(connId).putInt(answerSeq);
    }

    /**
     * Starts the answer to the heartbeat at {@code offset} of {@code heartbeat} in {@code buf}
     * (cleared): its sequence number and send time; the caller puts the reports
     * ({@link #ACK_RECEIVED}, then {@link #ACK_SENT}) before flipping.
     */
    public static ByteBuffer beginAnswer(ByteBuffer buf, ByteBuffer heartbeat, int offset) {
        buf.clear();
        return buf.putInt(seq(heartbeat, offset)).putLong(sentNanos(heartbeat, offset));
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

    public static int connId(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset + CONN_ID);
    }

    public static int answerSeq(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset + ANSWER_SEQ);
    }
}
