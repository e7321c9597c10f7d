package io.rsock.api.io;

/**
 * How much one of rsock's own queues may hold (a socket's receive buffer, the capture ring), in
 * datagrams; beyond it the kernel drops, and rsock counts the drops. A tunnel must not add
 * bufferbloat: a datagram that waited 100 ms in a relay is worth less to a game, a call or kcptun's
 * ARQ than a loss, which the app above already handles.
 *
 * <p>The default, 1 000, is 10 ms at the 100 000 datagrams a second one host carries, 25 ms at
 * fake TCP's 40 000: the queues held 3 000 to 8 000 before. Issue 15 asks for about 2 ms (200);
 * on a 2-core machine shared with builds, where a thread waits tens of milliseconds for a core, 200
 * lost 1-10 % of a 5 000/s flow in the end-to-end tests (docs/performance.md), so 200 waits for a
 * drop that looks at how long a packet waited (CoDel) instead of how many wait.
 * {@code -Drsock.queue.datagrams=N} (through {@code RSOCK_OPTS}) sets it, for measuring; it is not
 * a user setting.
 */
public final class QueueBudget {
    /** Datagrams a queue holds: 10 ms at 100 000 a second. */
    public static final int DEFAULT_DATAGRAMS = 1000;
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
