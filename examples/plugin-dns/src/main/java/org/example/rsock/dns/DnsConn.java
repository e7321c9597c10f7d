package org.example.rsock.dns;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One DNS conn. A client conn owns a connected socket from an ephemeral port and sends queries; a
 * server conn is one client endpoint of a {@link DnsListener} and sends responses from port 53,
 * answering with the id of that client's latest query.
 */
final class DnsConn implements Conn {
    private final DnsTransport transport;
    private final DnsListener listener; // null for a client conn
    private final DatagramChannel channel;
    private final ConnInfo info;
    final ConnHandler handler;
    private final int maxFrameSize;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** Client: the next query's id. Server: the latest query's id, which responses carry. */
    volatile int id;
    /** Server conns: {@code nanoTime} of the latest query, for idle expiry. */
    volatile long lastReceived;
    /** Client conns: the thread reading the connected socket. */
    DnsReader reader;

    DnsConn(DnsTransport transport, DnsListener listener, DatagramChannel channel, ConnInfo info, ConnHandler handler,
            int maxFrameSize) {
        this.transport = transport;
        this.listener = listener;
        this.channel = channel;
        this.info = info;
        this.handler = handler;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        if (!open.get()) {
            return false;
        }
        if (frame.remaining() > maxFrameSize) {
            transport.counters.sendTooLarge.increment();
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            // A channel operation on an interrupted thread closes the channel: for a listener, the
            // whole port. Refuse the frame instead.
            transport.counters.sendErrors.increment();
            return false;
        }
        ByteBuffer message = transport.scratch();
        try {
            if (listener == null) {
                transport.codec.encodeQuery(message, id++ & 0xFFFF, frame);
                if (channel.write(message) == 0) {
                    transport.counters.sendFull.increment();
                    return false;
                }
            } else {
                transport.codec.encodeResponse(message, id, frame);
                if (channel.send(message, info.remote()) == 0) {
                    transport.counters.sendFull.increment();
                    return false;
                }
            }
            return true;
        } catch (PortUnreachableException e) {
            terminate(CloseReason.RESET);
            return false;
        } catch (IOException | RuntimeException e) {
            if (channel.isOpen()) {
                transport.counters.sendErrors.increment();
            }
            return false;
        }
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public ConnInfo info() {
        return info;
    }

    /** DNS has nothing to tell the peer: the server's end expires after {@code dns.idle} of silence. */
    @Override
    public void close() {
        terminate(CloseReason.LOCAL);
    }

    /** Closes the conn and reports {@code why} to its handler, unless it was closed already. */
    void terminate(CloseReason why) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        if (listener != null) {
            listener.forget(this);
        } else {
            transport.forgetClient(this);
            if (reader != null) {
                reader.close();
            }
        }
        transport.report(() -> handler.closed(this, why));
    }

    InetSocketAddress remote() {
        return info.remote();
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
