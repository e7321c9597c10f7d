package io.rsock.api.datagram;

import io.rsock.api.CloseReason;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.Role;
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
 * conns. The first datagram of ours from a new remote makes its conn ({@code opened}, then
 * {@code received}). I/O thread only, but for construction.
 */
final class DatagramListener {
    private final DatagramTransport transport;
    private final DatagramChannel channel;
    /** Every conn of this port sends from {@link #channel}: one guard for all of them. */
    final SendGuard sendGuard = new SendGuard();
    private final ConnHandler handler;
    private final InetSocketAddress local;
    private final Map<InetSocketAddress, DatagramConn> conns = new HashMap<>();
    private final List<DatagramConn> scratch = new ArrayList<>();
    private SelectionKey key;

    DatagramListener(DatagramTransport transport, DatagramChannel channel, ConnHandler handler, InetSocketAddress local) {
        this.transport = transport;
        this.channel = channel;
        this.handler = handler;
        this.local = local;
    }

    void register(IoLoop loop) throws IOException {
        key = channel.register(loop.selector(), SelectionKey.OP_READ, (IoLoop.Readable) this::onReadable);
    }

    int port() {
        return local.getPort();
    }

    void onReadable(DatagramBatch batch) {
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
        long now = transport.nanoTime();
        for (int i = 0; i < n; i++) {
            ByteBuffer datagram = batch.datagram(i);
            long tag = transport.decoded(Role.SERVER, batch, i);
            if (tag == DatagramTransport.NOT_OURS) {
                continue;
            }
            InetSocketAddress from = (InetSocketAddress) batch.sender(i);
            DatagramConn c = conns.get(from);
            if (c == null) {
                c = admit(from, datagram);
                if (c == null) {
                    continue;
                }
            } else if (!c.isOpen()) {
                continue; // closed by another thread; its removal is queued behind this read
            }
            c.heard(tag, now);
            transport.deliver(c, datagram);
        }
    }

    /**
     * A conn for a remote this port has not heard from, whose first datagram decoded to
     * {@code frame}, if the host finds it worth one ({@link ConnHandler#admits}): an empty or
     * frameless datagram from a stranger takes no conn slot. Null when refused (the host counts what
     * it does not admit, this what exceeds {@code <type>.max-conns}).
     */
    private DatagramConn admit(InetSocketAddress from, ByteBuffer frame) {
        if (!transport.admits(handler, frame)) {
            return null;
        }
        if (conns.size() >= transport.options.maxConns()) {
            transport.counters.connsRejected.increment();
            return null;
        }
        DatagramConn c = new DatagramConn(transport, this, channel, new ConnInfo(transport.type(), local, from), handler,
                transport.maxDatagram(from.getAddress()));
        conns.put(from, c);
        transport.reportOpened(c);
        return c.isOpen() ? c : null;
    }

    void forget(DatagramConn c) {
        conns.remove(c.remote(), c);
    }

    /** Closes the conns that received nothing since {@code before} (a {@code nanoTime}). */
    void expireIdle(long before) {
        for (DatagramConn c : conns.values()) {
            if (c.lastReceived - before < 0) {
                scratch.add(c);
            }
        }
        for (DatagramConn c : scratch) {
            transport.counters.connsExpired.increment(); // before the handler hears of it
            c.terminate(CloseReason.TIMEOUT);
        }
        scratch.clear();
    }

    /** Closes every conn with {@code why}, and the channel. */
    void closeAll(CloseReason why) {
        scratch.addAll(conns.values());
        for (DatagramConn c : scratch) {
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
