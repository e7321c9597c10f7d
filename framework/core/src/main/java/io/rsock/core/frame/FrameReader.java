package io.rsock.core.frame;

import io.rsock.api.Counter;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;

/**
 * Takes the frames out of what a conn received (one or several back to back), checks each and hands
 * the good ones to a visitor. Safe to call from any number of transport threads: each thread gets its
 * own codec. A bad frame ends the packet (nothing after it can be trusted to be aligned) and is
 * counted by reason, never answered.
 */
public final class FrameReader {
    /** Gets each authenticated frame; {@code buf} holds its payload at {@code f.payloadOffset()}. */
    @FunctionalInterface
    public interface Visitor<C> {
        /**
         * Returns whether the frame was taken: false only for a HELLO or HELLO_ACK that authenticated
         * but was refused (stale, seen before, answering no HELLO of ours), which a transport must not
         * treat as authentic.
         */
        boolean frame(C context, ReceivedFrame f, ByteBuffer buf);
    }

    private final ThreadLocal<PerThread> perThread;
    private final Counter truncated;
    private final Counter badVersion;
    private final Counter badType;
    private final Counter badMac;
    private final Counter reflected;
    private final Counter unknownPeer;
    private final Counter good;
    private final PeerVersionLog versionLog = new PeerVersionLog();

    public FrameReader(FrameKey key, Counters counters) {
        this.perThread = ThreadLocal.withInitial(() -> new PerThread(key));
        this.truncated = counters.get("frame.truncated");
        this.badVersion = counters.get("frame.bad_version");
        this.badType = counters.get("frame.bad_type");
        this.badMac = counters.get("frame.bad_mac");
        this.reflected = counters.get("frame.reflected");
        this.unknownPeer = counters.get("frame.unknown_client");
        this.good = counters.get("frame.received");
    }

    /**
     * Reads every frame from {@code frames}' position to its limit (position and limit are restored),
     * each under the association {@code lookup} finds for it in {@code context}.
     *
     * @return how many good frames the visitor took, or -1 when the very first frame was bad (the
     *     sender does not hold the secret, is not rsock, or is unknown here)
     */
    public <C> int read(ByteBuffer frames, C context, AssociationLookup<C> lookup, Visitor<C> visitor) {
        PerThread t = perThread.get();
        int pos = frames.position();
        int limit = frames.limit();
        int n = 0;
        boolean first = true;
        try {
            while (frames.hasRemaining()) {
                int r = t.codec.decode(frames, t.frame, lookup, context);
                if (r < 0) {
                    count(r, frames);
                    return first ? -1 : n;
                }
                first = false;
                good.increment();
                int next = frames.position();
                if (visitor.frame(context, t.frame, frames)) {
                    n++;
                }
                frames.limit(limit).position(next);
            }
            return n;
        } finally {
            frames.limit(limit).position(pos);
        }
    }

    private void count(int code, ByteBuffer frames) {
        switch (code) {
            case FrameCodec.TRUNCATED -> truncated.increment();
            case FrameCodec.BAD_VERSION -> {
                badVersion.increment();
                versionLog.seen(frames, frames.position(), System.nanoTime());
            }
            case FrameCodec.BAD_TYPE -> badType.increment();
            case FrameCodec.REFLECTED -> reflected.increment();
            case FrameCodec.UNKNOWN_PEER -> unknownPeer.increment();
            default -> badMac.increment();
        }
    }

    private static final class PerThread {
        final FrameCodec codec;
        final ReceivedFrame frame = new ReceivedFrame();

        PerThread(FrameKey key) {
            this.codec = new FrameCodec(key);
        }
    }
}
