package io.rsock.core.frame;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per interval, that frames of another frame version arrive: a peer of another release
 * is otherwise only silence (neither end answers what it cannot authenticate). Only what is shaped
 * like a frame ({@link FrameShape}: a version that is not 0, a length that fits what arrived) counts
 * as a peer, so junk rarely speaks up, and never more than once per interval.
 */
final class PeerVersionLog {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Logger log = LoggerFactory.getLogger(PeerVersionLog.class);

    private final AtomicLong lastNanos = new AtomicLong();
    private volatile boolean said;

    /** The frame at {@code start} of {@code b} failed with {@link FrameCodec#BAD_VERSION}. */
    void seen(ByteBuffer b, int start, long nowNanos) {
        if (!FrameShape.plausible(b, start)) {
            return;
        }
        int version = (b.get(start) & 0xFF) >>> 4;
        long last = lastNanos.get();
        if (said && nowNanos - last < INTERVAL_NANOS || !lastNanos.compareAndSet(last, nowNanos)) {
            return;
        }
        said = true;
        log.warn("peer speaks frame version {}, this is {}: the other end runs another rsock-java release; run the same "
                + "release on both ends (its frames are dropped, counted as frame.bad_version)", version, FrameCodec.VERSION);
    }
}
