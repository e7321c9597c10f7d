package io.rsock.api.io;

/**
 * How much one of rsock's own queues may hold (a socket's receive buffer, the capture ring), in
 * datagrams; beyond it the kernel drops, and rsock counts the drops. A tunnel must not add
 * bufferbloat: a datagram that waited 100 ms in a relay is worth less to a game, a call or kcptun's
 * ARQ than a loss, which the app above already handles.
 *
 * <p>The default, 3 200, is what the client's 4 MiB app socket held before (32 ms at 100 000 a
 * second); the capture ring held 8 000. Issue 15 asks for about 2 ms (200). On the 2-core machine
 * shared with builds, where a thread waits a hundred milliseconds for a core, the end-to-end tests
 * lost 1-10 % of a 5 000/s flow with 200 and with 1 000 (UdpTunnelIT at load 19: 91 % delivered
 * with 1 000, all of it with 8 000), so the default waits for a drop that looks at how long a
 * packet waited (CoDel) instead of how many wait (docs/performance.md).
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
