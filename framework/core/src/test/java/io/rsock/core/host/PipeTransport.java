package io.rsock.core.host;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A minimal in-memory transport for the host's own tests: a client transport and a server transport
 * share a {@link Pipe}; frames are copied and delivered in order on one delivery thread.
 */
final class PipeTransport implements ConnTransport {
    /** What a client and a server transport share. */
    static final class Pipe implements AutoCloseable {
        final Map<Integer, ConnHandler> listeners = new ConcurrentHashMap<>();
        final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pipe-delivery");
            t.setDaemon(true);
            return t;
        });

        @Override
        public void close() {
            delivery.shutdownNow();
        }
    }

    private final Pipe pipe;
    private final Map<PipeConn, Boolean> conns = new ConcurrentHashMap<>();

    PipeTransport(Pipe pipe) {
        this.pipe = pipe;
    }

    @Override
    public String type() {
        return "pipe";
    }

    @Override
    public void start(TransportContext ctx) {
    }

    @Override
    public void listen(int port, ConnHandler handler) {
        pipe.listeners.put(port, handler);
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) {
        ConnHandler listener = pipe.listeners.get(server.getPort());
        PipeConn client = new PipeConn(handler, server);
        if (listener == null) {
            pipe.delivery.execute(() -> client.closeWith(CloseReason.RESET));
            return client;
        }
        PipeConn serverSide = new PipeConn(listener, new InetSocketAddress("127.0.0.2", 40000 + conns.size()));
        client.peer = serverSide;
        serverSide.peer = client;
        conns.put(client, true);
        conns.put(serverSide, true);
        pipe.delivery.execute(() -> {
            listener.opened(serverSide);
            handler.opened(client);
        });
        return client;
    }

    @Override
    public int overhead() {
        return 0;
    }

    @Override
    public void close() {
        conns.keySet().forEach(c -> c.closeWith(CloseReason.SHUTDOWN));
    }

    final class PipeConn implements Conn {
        final ConnHandler handler;
        final InetSocketAddress remote;
        final AtomicBoolean open = new AtomicBoolean(true);
        volatile PipeConn peer;

        PipeConn(ConnHandler handler, InetSocketAddress remote) {
            this.handler = handler;
            this.remote = remote;
        }

        @Override
        public boolean send(ByteBuffer frame) {
            PipeConn p = peer;
            if (!open.get() || p == null || frame.remaining() > maxFrameSize()) {
                return false;
            }
            ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
            copy.put(frame.duplicate()).flip();
            pipe.delivery.execute(() -> {
                if (p.open.get()) {
                    p.handler.received(p, copy);
                }
            });
            return true;
        }

        @Override
        public int maxFrameSize() {
            return 1472;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public ConnInfo info() {
            return new ConnInfo("pipe", null, remote);
        }

        @Override
        public void close() {
            closeWith(CloseReason.LOCAL);
        }

        void closeWith(CloseReason why) {
            if (open.compareAndSet(true, false)) {
                conns.remove(this);
                handler.closed(this, why);
            }
        }
    }
}
