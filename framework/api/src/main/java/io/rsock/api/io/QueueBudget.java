package io.rsock.api.io;

/**
 * How much one of rsock's own queues may hold (the app socket's and a transport's receive buffers), in
 * datagrams; beyond it the kernel drops, and rsock counts the drops. A tunnel must not add
 * bufferbloat: a datagram that waited 100 ms in a relay is worth less to a game, a call or kcptun's
 * ARQ than a loss, which the app above already handles. The default is looser than the ~2 ms issue 15
 * asks for, because a count cannot tell a queue that stands from a thread that waited for a core
 * (docs/performance.md has the measurements); a drop by sojourn time (CoDel) would.
 * {@code -Drsock.queue.datagrams=N} (through {@code RSOCK_OPTS}) sets it, for measuring; it is not
 * a user setting.
 */
public final class QueueBudget {
    /** Datagrams a queue holds: 32 ms at 100 000 a second. */
    public static final int DEFAULT_DATAGRAMS = 3200;
    /**
     * What the kernel charges a queued 1 200-byte datagram against a receive buffer: its
     * {@code truesize}, the data rounded up to a 2 KiB allocation plus the socket buffer's own
     * structures. Smaller datagrams cost less, so the bound in time is loosest for them.
     */
    static final int TRUESIZE_1200 = 2560;

    private QueueBudget() {
    }

    /** Datagrams a queue of rsock's holds. */
    public static int datagrams() {
        return Math.max(16, Integer.getInteger("rsock.queue.datagrams", DEFAULT_DATAGRAMS));
    }

    /**
     * The value for {@code SO_RCVBUF} that holds {@code datagrams} datagrams of 1 200 bytes: half
     * of what they cost, because the kernel doubles the value it is given.
     */
    public static int receiveBufferBytes(int datagrams) {
        return datagrams * TRUESIZE_1200 / 2;
    }

    /** {@link #receiveBufferBytes(int)} of the default bound. */
    public static int receiveBufferBytes() {
        return receiveBufferBytes(datagrams());
    }

    /** A capture ring of {@code datagrams} slots of {@code slotBytes} each. */
    public static int ringBytes(int datagrams, int slotBytes) {
        return Math.multiplyExact(datagrams, slotBytes);
    }
}
