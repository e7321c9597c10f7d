package io.rsock.core;

import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.net.InetSocketAddress;

/** A transport that carries nothing, for tests of what the host does around transports; override what the test needs. */
public abstract class StubTransport implements ConnTransport {
    @Override
    public void start(TransportContext ctx) throws TransportException {
    }

    @Override
    public void listen(int port, ConnHandler handler) {
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) {
        return null;
    }

    @Override
    public int overhead() {
        return 0;
    }

    @Override
    public void close() {
    }
}
