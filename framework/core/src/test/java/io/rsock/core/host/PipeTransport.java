package io.rsock.core.host;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A minimal in-memory transport for the host's own tests: a client transport and a server transport
 * share a {@link Pipe}; frames are copied and delivered in order on one delivery thread.
 */
final class PipeTransport implements ConnTransport {
    /** A frame that crossed the pipe while it was recording: which way, to or from which server port. */
    record Recorded(boolean fromClient, int port, byte[] bytes) {
    }

    /** What a client and a server transport share. */
    static final class Pipe implements AutoCloseable {
        final Map<Integer, ConnHandler> listeners = new ConcurrentHashMap<>();
        /** Every frame sent while {@link #recording}, as an on-path attacker would capture it. */
        final List<Recorded> recorded = new CopyOnWriteArrayList<>();
        volatile boolean recording;
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
        PipeConn client = new PipeConn(handler, server, true);
        if (listener == null) {
            pipe.delivery.execute(() -> client.closeWith(CloseReason.RESET));
            return client;
        }
        PipeConn serverSide = new PipeConn(listener, new InetSocketAddress("127.0.0.2", 40000 + conns.size()), false);
        serverSide.port = server.getPort();
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
        final boolean clientSide;
        volatile PipeConn peer;
        /** The server port of the conn. */
        int port;

        PipeConn(ConnHandler handler, InetSocketAddress remote, boolean clientSide) {
            this.handler = handler;
            this.remote = remote;
            this.clientSide = clientSide;
            this.port = remote.getPort();
        }

        @Override
        public boolean send(ByteBuffer frame) {
            PipeConn p = peer;
            if (!open.get() || p == null || frame.remaining() > maxFrameSize()) {
                return false;
            }
            ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
            copy.put(frame.duplicate()).flip();
            if (pipe.recording) {
                pipe.recorded.add(new Recorded(clientSide, port, copy.array().clone()));
            }
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

        /** Hands {@code frame} to this end as if its peer had sent it: an injected packet. */
        void inject(byte[] frame) {
            pipe.delivery.execute(() -> {
                if (open.get()) {
                    handler.received(this, ByteBuffer.wrap(frame));
                }
            });
        }

        /**
         * Hands {@code frame} to this end as {@link #inject} does, the way fake TCP and ICMP hand over
         * payload: returns whether the end called it authentic.
         */
        boolean injectAuthentic(byte[] frame) throws Exception {
            return pipe.delivery.submit(() -> open.get() && handler.receivedAuthentic(this, ByteBuffer.wrap(frame))).get();
        }

        void closeWith(CloseReason why) {
            if (open.compareAndSet(true, false)) {
                conns.remove(this);
                handler.closed(this, why);
            }
        }
    }
}
