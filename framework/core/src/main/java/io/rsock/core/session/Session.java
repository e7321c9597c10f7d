package io.rsock.core.session;

/**
 * Something that lives while it is used: an app flow on the client, a (client, session) socket on
 * the server. {@link #touch} on every datagram, from any thread; the table expires it when idle.
 */
public abstract class Session {
    private volatile long lastActiveNanos;

    protected Session(long nowNanos) {
        this.lastActiveNanos = nowNanos;
    }

    public final void touch(long nowNanos) {
        lastActiveNanos = nowNanos;
    }

    public final long lastActiveNanos() {
        return lastActiveNanos;
    }

    /** Releases what the session holds (a socket...). Called once, when it leaves its table. */
    protected void release(EndReason why) {
    }

    /** Why a session left its table. */
    public enum EndReason {
        /** No datagram for {@code --duration}. */
        IDLE,
        /** The table was full and this was the least recently used. */
        EVICTED,
        /** The peer said so (a CLOSE frame). */
        CLOSED,
        /** The host is shutting down. */
        SHUTDOWN
    }
}
