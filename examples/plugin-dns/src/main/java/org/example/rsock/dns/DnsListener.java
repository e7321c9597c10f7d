package org.example.rsock.dns;

import io.rsock.api.CloseReason;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A listening port (53, normally): one unconnected socket, demultiplexed by client endpoint into
 * conns. The first valid query from a new endpoint makes its conn ({@code opened}, then
 * {@code received}); anything that is not a query of ours is dropped and counted.
 */
final class DnsListener implements DnsReader.Sink {
    private final DnsTransport transport;
    private final DatagramChannel channel;
    private final ConnHandler handler;
    private final InetSocketAddress local;
    private final Map<InetSocketAddress, DnsConn> conns = new ConcurrentHashMap<>();
    private final ByteBuffer frame = ByteBuffer.allocate(1024);
    private DnsReader reader;

    DnsListener(DnsTransport transport, DatagramChannel channel, ConnHandler handler, InetSocketAddress local) {
        this.transport = transport;
        this.channel = channel;
        this.handler = handler;
        this.local = local;
    }

    void start() throws IOException {
        reader = new DnsReader(channel, this, "rsock-dns-" + local.getPort());
        reader.start();
    }

    int port() {
        return local.getPort();
    }

    @Override
    public void datagram(ByteBuffer datagram, SocketAddress fromAddress) {
        InetSocketAddress from = (InetSocketAddress) fromAddress;
        frame.clear();
        int id = transport.codec.decodeQuery(datagram, frame);
        if (id < 0) {
            transport.counters.badMessages.increment();
            return;
        }
        frame.flip();
        DnsConn c = conns.get(from);
        if (c == null) {
            if (!handler.admits(frame)) {
                return; // not even shaped like a frame: a stranger's query gets no conn (the host counts it)
            }
            if (conns.size() >= transport.maxConns) {
                transport.counters.connsRejected.increment();
                return;
            }
            c = new DnsConn(transport, this, channel, new ConnInfo(DnsTransport.TYPE, local, from), handler,
                    transport.maxResponseFrame);
            conns.put(from, c);
            DnsConn opened = c;
            transport.report(() -> handler.opened(opened));
        }
        if (!c.isOpen()) {
            return;
        }
        c.id = id;
        c.lastReceived = transport.nanoTime();
        DnsConn to = c;
        transport.report(() -> handler.received(to, frame));
    }

    @Override
    public void failed(IOException e) {
        transport.counters.receiveErrors.increment();
        close(CloseReason.ERROR);
    }

    void forget(DnsConn c) {
        conns.remove(c.remote(), c);
    }

    /** Closes the conns that received nothing since {@code before} (a {@code nanoTime}). */
    void expireIdle(long before) {
        for (DnsConn c : new ArrayList<>(conns.values())) {
            if (c.lastReceived - before < 0) {
                transport.counters.connsExpired.increment();
                c.terminate(CloseReason.TIMEOUT);
            }
        }
    }

    /** Stops reading, then closes every conn with {@code why}. */
    void close(CloseReason why) {
        if (reader != null) {
            reader.close();
        }
        for (DnsConn c : new ArrayList<>(conns.values())) {
            c.terminate(why);
        }
        transport.forgetListener(this);
    }
}
