package io.rsock.core.host;

import io.rsock.core.session.Session;
import java.io.IOException;
import java.nio.channels.DatagramChannel;

/** One app flow on the server: (client, session id) and the UDP socket that talks to {@code -t} for it. */
final class ServerSession extends Session {
    final ClientState client;
    final int sessionId;
    final DatagramChannel target;

    ServerSession(ClientState client, int sessionId, DatagramChannel target, long nowNanos) {
        super(nowNanos);
        this.client = client;
        this.sessionId = sessionId;
        this.target = target;
    }

    @Override
    protected void release(EndReason why) {
        try {
            target.close();
        } catch (IOException ignored) {
            // closing a UDP socket has nothing to flush
        }
    }
}
