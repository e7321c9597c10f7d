package io.rsock.core.pool;

import io.rsock.core.frame.Heartbeat;
import java.nio.ByteBuffer;

/**
 * The data delivery on one conn as one end knows it, and the heartbeat fields that carry it.
 *
 * <p>Each end counts the frames it hands to the conn ({@link #sent}, through a {@link CountingConn})
 * and the frames it receives on it ({@link #received}). Heartbeats and their answers are markers:
 * the client notes what it had sent when heartbeat {@code n} left; the server answers with what it
 * had received when the heartbeat arrived, so the client learns what its sends delivered, and with
 * what it had sent when the answer left; the client notes what it had received when that answer
 * arrived and returns both figures in its next heartbeat, so the server learns what its replies
 * delivered. Each end weighs its own sends on the conn by what it learns ({@link #outbound}); the
 * client also keeps the server's figure for status ({@link #inbound}).
 *
 * <p>A marker's snapshot is taken before the marker itself is counted, on both ends, and a frame is
 * counted sent only once the transport took it: a frame counted before a marker's snapshot left
 * before the marker.
 */
public final class ConnDelivery {
    /** Heartbeats in flight whose snapshots are kept (as many as {@link ConnHealth} tracks). */
    private static final int RING = 16;

    private volatile int connId;
    private final DeliveryCounter sent = new DeliveryCounter();
    private final DeliveryCounter received = new DeliveryCounter();
    private final DeliveryWeights outbound = new DeliveryWeights();
    private final DeliveryWeights inbound = new DeliveryWeights();
    // Client: what it had sent when each heartbeat left, by sequence number.
    private final DeliveryReport[] sentAtHeartbeat = new DeliveryReport[RING];
    private final int[] heartbeatSeq = new int[RING];
    // Client: the newest answer's figures, returned in the next heartbeat.
    private int answerSeq = -1;
    private final DeliveryReport answerSent = new DeliveryReport();
    private final DeliveryReport answerReceived = new DeliveryReport();
    // Server: the newest answer the client reported on, the last heartbeat answered, and whether
    // each of the last answers reached the client (the next heartbeat says so).
    private int reportedAnswerSeq = -1;
    private int lastAnswered = -1;
    private final boolean[] answerLost = new boolean[RING];
    private int answersJudged;
    private final DeliveryReport scratchSent = new DeliveryReport();
    private final DeliveryReport scratchReceived = new DeliveryReport();

    /** A conn's delivery at the end that names it (the client), with a random id. */
    public static ConnDelivery named(int connId) {
        ConnDelivery d = new ConnDelivery();
        d.connId = connId;
        return d;
    }

    public ConnDelivery() {
        for (int i = 0; i < RING; i++) {
            sentAtHeartbeat[i] = new DeliveryReport();
            heartbeatSeq[i] = -1;
        }
    }

    /** The id both ends know the conn by; 0 at the server until the first heartbeat names it. */
    public int connId() {
        return connId;
    }

    /** What this end handed to the conn. */
    public DeliveryCounter sent() {
        return sent;
    }

    /** Counts a frame of {@code frameBytes} received on the conn; after {@link #answered} or {@link #answer} for a marker. */
    public void received(int frameBytes) {
        received.count(frameBytes);
    }

    /** How this end's sends on the conn are delivered, and the shares they get. */
    public DeliveryWeights outbound() {
        return outbound;
    }

    /** How the other end's sends on the conn are delivered (the client's view of the server's replies). */
    public DeliveryWeights inbound() {
        return inbound;
    }

    /** Client: the payload of heartbeat {@code seq}, in {@code buf}, flipped; notes what was sent before it. */
    public synchronized ByteBuffer heartbeat(ByteBuffer buf, int seq, long sentNanos, int spacingMillis) {
        sent.snapshot(sentAtHeartbeat[seq & (RING - 1)]);
        heartbeatSeq[seq & (RING - 1)] = seq;
        Heartbeat.begin(buf, seq, sentNanos, spacingMillis, connId, answerSeq);
        answerSent.write(buf);
        answerReceived.write(buf);
        return buf.flip();
    }

    /**
     * Client: the answer at {@code offset} of {@code buf} to heartbeat {@code seq} arrived at
     * {@code now} (called before the answer itself is counted received).
     */
    public synchronized void answered(ByteBuffer buf, int offset, int seq, long now) {
        int slot = seq & (RING - 1);
        boolean older = answerSeq >= 0 && seq - answerSeq <= 0;
        if (heartbeatSeq[slot] != seq || older) {
            return; // not one we keep, or not newer than one already read
        }
        outbound.report(sentAtHeartbeat[slot], scratchReceived.read(buf, offset + Heartbeat.ACK_RECEIVED), now);
        answerSeq = seq;
        answerSent.read(buf, offset + Heartbeat.ACK_SENT);
        received.snapshot(answerReceived);
        inbound.report(answerSent, answerReceived, now);
    }

    /**
     * Server: the heartbeat at {@code offset} of {@code heartbeat} arrived at {@code now} (called
     * before it is counted received). Learns the conn's id and what the client got of this end's
     * replies, and writes the answer's payload into {@code out}, flipped; the caller sends it at
     * once, on this conn.
     */
    public synchronized ByteBuffer answer(ByteBuffer heartbeat, int offset, ByteBuffer out, long now) {
        connId = Heartbeat.connId(heartbeat, offset);
        int seq = Heartbeat.seq(heartbeat, offset);
        int reported = Heartbeat.answerSeq(heartbeat, offset);
        if (lastAnswered < 0 || seq - lastAnswered > 0) {
            if (lastAnswered >= 0) {
                // A later heartbeat that does not name our last answer: that answer was lost on the way.
                answerLost[answersJudged++ & (RING - 1)] = reported - lastAnswered < 0;
            }
            lastAnswered = seq;
        }
        if (reported != reportedAnswerSeq && (reportedAnswerSeq < 0 || reported - reportedAnswerSeq > 0)) {
            reportedAnswerSeq = reported;
            outbound.report(scratchSent.read(heartbeat, offset + Heartbeat.ANSWER_SENT),
                    scratchReceived.read(heartbeat, offset + Heartbeat.ANSWER_RECEIVED), now);
        }
        Heartbeat.beginAnswer(out, heartbeat, offset);
        received.snapshot(scratchReceived).write(out);
        sent.snapshot(scratchSent).write(out);
        return out.flip();
    }

    /**
     * Server: what the client's heartbeats say of the server's answers on this conn, 0 to 1, as the
     * client weighs its own conns by its heartbeats' answers: the share of the last answers that
     * arrived, squared. A policer that saturates drops answers before the delivery reports that
     * would tell of it can get through, so this is the faster of the two.
     */
    public synchronized double answerFactor() {
        int n = Math.min(answersJudged, RING);
        int lost = 0;
        for (int i = 0; i < n; i++) {
            if (answerLost[i]) {
                lost++;
            }
        }
        double delivered = n == 0 ? 1 : 1 - (double) lost / n;
        return delivered * delivered;
    }

    /** Frames received on the conn so far. */
    public long framesReceived() {
        return received.frames();
    }
}
