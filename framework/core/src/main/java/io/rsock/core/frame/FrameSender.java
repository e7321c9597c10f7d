package io.rsock.core.frame;

import io.rsock.api.Conn;
import io.rsock.api.Counter;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames a payload and sends it on a conn, split into fragments when it does not fit one packet.
 * Owned by one thread (it holds a codec and a buffer); the frame counter is shared by every sender of
 * a process so counters never repeat.
 */
public final class FrameSender {
    /** Most fragments a datagram may be split into (the fragment byte has 4 bits for the count). */
    public static final int MAX_FRAGMENTS = 15;

    private final FrameCodec codec;
    private final AtomicLong counter;
    private final ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + FrameCodec.MAX_PAYLOAD);
    private final Counter tooLarge;
    private final Counter sendFailed;
    private int lastBytes;

    public FrameSender(FrameKey key, AtomicLong counter, Counter tooLarge, Counter sendFailed) {
        this.codec = new FrameCodec(key);
        this.counter = counter;
        this.tooLarge = tooLarge;
        this.sendFailed = sendFailed;
    }

    /**
     * Sends {@code payload} (position to limit, left unchanged) as one frame of {@code type}, or as
     * fragments of DATA when it is larger than the conn carries in one packet.
     *
     * @return whether every frame was handed to the conn
     */
    public boolean send(Conn conn, int type, int clientId, int sessionId, ByteBuffer payload) {
        lastBytes = 0;
        int len = payload.remaining();
        int room = conn.maxFrameSize() - FrameCodec.OVERHEAD;
        if (len <= room) {
            return sendOne(conn, type, 0, clientId, sessionId, counter.incrementAndGet(), payload);
        }
        int pieces = room <= 0 ? Integer.MAX_VALUE : (len + room - 1) / room;
        if (type != FrameType.DATA || pieces > MAX_FRAGMENTS || len > FrameCodec.MAX_PAYLOAD) {
            tooLarge.increment();
            return false;
        }
        long base = counter.getAndAdd(pieces) + 1;
        int pos = payload.position();
        int limit = payload.limit();
        boolean ok = true;
        try {
            for (int i = 0; i < pieces; i++) {
                int from = pos + i * room;
                payload.limit(Math.min(limit, from + room)).position(from);
                ok &= sendOne(conn, type, Reassembler.fragmentByte(i, pieces), clientId, sessionId, base + i, payload);
            }
        } finally {
            payload.limit(limit).position(pos);
        }
        return ok;
    }

    /** Frame bytes the conn accepted in the last {@link #send}, for per-conn byte counts. */
    public int lastBytes() {
        return lastBytes;
    }

    private boolean sendOne(Conn conn, int type, int fragment, int clientId, int sessionId, long ctr, ByteBuffer payload) {
        out.clear();
        codec.encode(out, type, fragment, clientId, sessionId, ctr, payload);
        out.flip();
        int bytes = out.remaining();
        if (conn.send(out)) {
            lastBytes += bytes;
            return true;
        }
        sendFailed.increment();
        return false;
    }
}
