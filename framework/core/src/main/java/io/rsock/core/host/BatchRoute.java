package io.rsock.core.host;

import io.rsock.api.Conn;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.pool.ConnSource;
import io.rsock.core.pool.SizeClass;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The conns a batch of datagrams goes out on: one per size class and batch, picked from a
 * {@link ConnSource} when the first datagram of that class comes, with the frame sender corked on
 * it so its frames leave together. A batch of one size (the usual) is one pick and one cork; a
 * mixed one may alternate. Owned by the thread that reads the batch.
 */
final class BatchRoute<T> {
    private final FrameSender sender;
    private final Function<T, Conn> connOf;
    private final Object[] byClass = new Object[SizeClass.COUNT];
    private final boolean[] picked = new boolean[SizeClass.COUNT];
    private ConnSource<T> source;
    private long now;
    private Conn corked;

    /** @param connOf the conn to send on of what the source picks (null when it closed) */
    BatchRoute(FrameSender sender, Function<T, Conn> connOf) {
        this.sender = sender;
        this.connOf = connOf;
    }

    /** A new batch, whose conns come from {@code source}. */
    void begin(ConnSource<T> source, long now) {
        this.source = source;
        this.now = now;
        Arrays.fill(byClass, null);
        Arrays.fill(picked, false);
    }

    /** Where a datagram of {@code payloadLength} bytes goes, or null when the source has no conn. */
    @SuppressWarnings("unchecked")
    T pick(int payloadLength) {
        int c = SizeClass.of(payloadLength + FrameCodec.OVERHEAD);
        T t = (T) byClass[c];
        Conn conn = t == null ? null : connOf.apply(t);
        if (!picked[c] || (t != null && (conn == null || !conn.isOpen()))) {
            // First of its class in the batch, or its conn died under the batch (an RST): pick again.
            t = source.pick(c, now);
            byClass[c] = t;
            picked[c] = true;
            conn = t == null ? null : connOf.apply(t);
        }
        if (conn != null && conn != corked) {
            sender.cork(conn);
            corked = conn;
        }
        return t;
    }

    /** The batch is done: what is held goes out. */
    void end() {
        sender.flush();
        corked = null;
        source = null;
    }
}
