package io.rsock.api.datagram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a channel's descriptor from being closed under a batched send, which uses the descriptor
 * behind NIO's back (NIO would not know to wait for it, and a reused descriptor number would send
 * our datagrams into someone else's socket). Senders {@link #enter}; whoever closes the channel
 * calls {@link #shut} first.
 */
final class SendGuard {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean shut;

    /** Whether the caller may use the descriptor now; if so it must {@link #exit()} after. */
    boolean enter() {
        inside.incrementAndGet();
        if (shut) {
            inside.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        inside.decrementAndGet();
    }

    /** No sender gets in any more; waits (a second at most) for those inside, whose sends take microseconds. */
    void shut() {
        shut = true;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (inside.get() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
