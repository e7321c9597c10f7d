package io.rsock.transport.udp;

import io.rsock.api.CloseReason;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.io.DatagramBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One listening port: an unconnected {@link DatagramChannel} demultiplexed by remote endpoint into
 * conns. The first datagram from a new remote makes its conn ({@code opened}, then {@code received}).
 * Loop thread only, but for construction.
 */
final class UdpListener implements UdpLoop.Readable {
    private final UdpTransport transport;
    private final DatagramChannel channel;
    /** Every conn of this port sends from {@link #channel}: one guard for all of them. */
    final SendGuard sendGuard = new SendGuard();
    private final ConnHandler handler;
    private final InetSocketAddress local;
    private final Map<InetSocketAddress, UdpConn> conns = new HashMap<>();
    private final List<UdpConn> scratch = new ArrayList<>();
    private SelectionKey key;

    UdpListener(UdpTransport transport, DatagramChannel channel, ConnHandler handler, InetSocketAddress local) {
        this.transport = transport;
        this.channel = channel;
        this.handler = handler;
        this.local = local;
    }

    void register() throws IOException {
        key = channel.register(transport.loop.selector(), SelectionKey.OP_READ, this);
    }

    int port() {
        return local.getPort();
    }

    int connCount() {
        return conns.size();
    }

    @Override
    public void onReadable(DatagramBatch batch) {
        int n;
        try {
            n = batch.receive(channel);
        } catch (ClosedChannelException e) {
            closeAll(CloseReason.ERROR);
            return;
        } catch (IOException e) {
            transport.counters.receiveErrors.increment();
            return;
        }
        for (int i = 0; i < n; i++) {
            InetSocketAddress from = (InetSocketAddress) batch.sender(i);
            UdpConn c = conns.get(from);
            if (c == null) {
                c = admit(from, batch.datagram(i));
                if (c == null) {
                    continue;
                }
            } else if (!c.isOpen()) {
                continue; // closed by another thread; its removal is queued behind this read
            }
            c.lastReceived = transport.nanoTime();
            transport.deliver(c, batch.datagram(i));
        }
    }

    /**
     * A conn for a new remote whose first datagram the host finds worth one ({@link ConnHandler#admits}):
     * an empty or frameless datagram from a stranger takes no conn slot. Null when refused (the host
     * counts what it does not admit).
     */
    private UdpConn admit(InetSocketAddress from, ByteBuffer first) {
        if (!handler.admits(first)) {
            return null;
        }
        if (conns.size() >= transport.options.maxConns()) {
            transport.counters.connsRejected.increment();
            return null;
        }
        UdpConn c = new UdpConn(transport, this, channel, new ConnInfo(UdpTransport.TYPE, local, from), handler,
                transport.maxFrameSize(from.getAddress()));
        conns.put(from, c);
        transport.reportOpened(c);
        return c.isOpen() ? c : null;
    }

    void forget(UdpConn c) {
        conns.remove(c.remote(), c);
    }

    /** Closes the conns that received nothing since {@code before} (a {@code nanoTime}). */
    void expireIdle(long before) {
        for (UdpConn c : conns.values()) {
            if (c.lastReceived - before < 0) {
                scratch.add(c);
            }
        }
        for (UdpConn c : scratch) {
            transport.counters.connsExpired.increment(); // before the handler hears of it
            c.terminate(CloseReason.TIMEOUT);
        }
        scratch.clear();
    }

    /** Closes every conn with {@code why}, and the channel. */
    void closeAll(CloseReason why) {
        scratch.addAll(conns.values());
        for (UdpConn c : scratch) {
            c.terminate(why);
        }
        scratch.clear();
        conns.clear();
        if (key != null) {
            key.cancel();
        }
        sendGuard.shut();
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
        transport.forgetListener(this);
    }
}
