package io.rsock.core.frame;

import io.rsock.api.Conn;
import io.rsock.api.Counter;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames a payload and sends it on a conn, split into fragments when it does not fit one packet.
 * Owned by one thread (it holds a codec and a buffer); the frame counter is shared by every sender of
 * a process so counters never repeat.
 *
 * <p>Between {@link #cork} and {@link #flush} the frames for the corked conn are held and handed
 * over together ({@link Conn#send(ByteBuffer[], int)}), so a transport can send what the host read
 * in one batch with one system call.
 */
public final class FrameSender {
    /** Most fragments a datagram may be split into (the fragment byte has 4 bits for the count). */
    public static final int MAX_FRAGMENTS = 15;
    /** Most frames held between {@link #cork} and {@link #flush}; more are flushed on the way. */
    public static final int CORK_CAPACITY = 32;
    /** Frames larger than this are never held: they go out at once. */
    static final int CORK_FRAME_BYTES = 2048;

    private final FrameCodec codec;
    private final AtomicLong counter;
    private final ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + FrameCodec.MAX_PAYLOAD);
    private final Counter tooLarge;
    private final Counter sendFailed;
    private int lastBytes;
    private final ByteBuffer[] held = new ByteBuffer[CORK_CAPACITY];
    private int heldCount;
    private Conn corked;

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
     * @param a the association the frame belongs to (null only for HELLO and HELLO_ACK)
     * @return whether every frame was handed to the conn
     */
    public boolean send(Conn conn, Association a, int type, int clientId, int sessionId, ByteBuffer payload) {
        lastBytes = 0;
        int len = payload.remaining();
        int room = conn.maxFrameSize() - FrameCodec.OVERHEAD;
        if (len <= room) {
            return sendOne(conn, a, type, 0, clientId, sessionId, counter.incrementAndGet(), payload);
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
                ok &= sendOne(conn, a, type, Reassembler.fragmentByte(i, pieces), clientId, sessionId, base + i, payload);
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

    /**
     * Holds the frames of the next sends to {@code conn} until {@link #flush}. A conn whose frames may
     * be larger than {@value #CORK_FRAME_BYTES} bytes is not held: its sends go out at once.
     */
    public void cork(Conn conn) {
        flush();
        if (conn.maxFrameSize() <= CORK_FRAME_BYTES) {
            corked = conn;
        }
    }

    /** Hands the held frames to the corked conn and stops holding. Failures count as send failures. */
    public void flush() {
        Conn c = corked;
        corked = null;
        release(c);
    }

    private void release(Conn c) {
        int n = heldCount;
        heldCount = 0;
        if (n > 0) {
            sendFailed.add(n - c.send(held, n));
        }
    }

    private boolean sendOne(Conn conn, Association a, int type, int fragment, int clientId, int sessionId, long ctr,
            ByteBuffer payload) {
        if (conn == corked) {
            if (heldCount == CORK_CAPACITY) {
                release(conn);
            }
            ByteBuffer b = held[heldCount];
            if (b == null) {
                b = held[heldCount] = ByteBuffer.allocate(CORK_FRAME_BYTES);
            }
            b.clear();
            if (!codec.encode(b, a, type, fragment, clientId, sessionId, ctr, payload)) {
                sendFailed.increment();
                return false;
            }
            b.flip();
            heldCount++;
            lastBytes += b.remaining();
            return true; // handed over at flush; a failure then is counted there
        }
        out.clear();
        if (!codec.encode(out, a, type, fragment, clientId, sessionId, ctr, payload)) {
            sendFailed.increment();
            return false;
        }
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
