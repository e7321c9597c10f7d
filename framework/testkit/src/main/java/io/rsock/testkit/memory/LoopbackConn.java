package io.rsock.testkit.memory;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of a {@link LoopbackTransport} link. Every handler call for it happens on the network's
 * delivery thread; {@link #state} decides, by compare-and-set, who gets to report the close, so
 * {@code closed} is called exactly once however many threads race to close it.
 */
final class LoopbackConn implements Conn {
    static final int CONNECTING = 0;
    static final int OPEN = 1;
    static final int CLOSED = 2;

    final LoopbackTransport owner;
    final ConnHandler handler;
    private final ConnInfo info;
    private final int maxFrameSize;
    private final AtomicInteger state = new AtomicInteger(CONNECTING);
    volatile LoopbackConn peer;
    volatile boolean blackholed;

    LoopbackConn(LoopbackTransport owner, ConnHandler handler, ConnInfo info, int maxFrameSize) {
        this.owner = owner;
        this.handler = handler;
        this.info = info;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        LoopbackConn p = peer;
        if (state.get() != OPEN || p == null || frame.remaining() > maxFrameSize) {
            return false;
        }
        return owner.network().carry(this, p, frame);
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public boolean isOpen() {
        return state.get() == OPEN;
    }

    @Override
    public ConnInfo info() {
        return info;
    }

    /** Tells the peer the conn finished, as a FIN would. */
    @Override
    public void close() {
        if (markClosed()) {
            owner.network().post(() -> {
                report(CloseReason.LOCAL);
                LoopbackConn p = peer;
                if (p != null) {
                    p.terminate(CloseReason.FINISHED);
                }
            });
        }
    }

    /** Moves from connecting to open; {@code false} if the conn was closed first. */
    boolean markOpen() {
        return state.compareAndSet(CONNECTING, OPEN);
    }

    /** Whether this call is the one that closed the conn (and must report it). */
    boolean markClosed() {
        return state.getAndSet(CLOSED) != CLOSED;
    }

    /** Closes and reports {@code why} at once; call on the delivery thread. */
    void terminate(CloseReason why) {
        if (markClosed()) {
            report(why);
        }
    }

    private void report(CloseReason why) {
        owner.forget(this);
        owner.network().guard(() -> handler.closed(this, why));
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
