package io.rsock.core.host;

import io.rsock.core.session.Session;
import java.net.InetSocketAddress;

/** One app flow on the client: an app source endpoint on {@code -l} and the session id it travels under. */
final class ClientSession extends Session {
    final int id;
    final InetSocketAddress app;
    /** Set when it left the table: a stale entry of the by-id hint must not be used. */
    volatile boolean ended;

    ClientSession(int id, InetSocketAddress app, long nowNanos) {
        super(nowNanos);
        this.id = id;
        this.app = app;
    }

    @Override
    protected void release(EndReason why) {
        ended = true;
    }
}
