package io.rsock.transport.udp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.io.DatagramBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One UDP conn. A client conn owns a connected {@link DatagramChannel} from an ephemeral port; a
 * server conn is one remote endpoint of a {@link UdpListener} and sends from the listener's channel.
 *
 * <p>{@link #send} runs on the caller's thread straight into the kernel ({@code DatagramChannel}
 * serialises concurrent senders). Everything else that touches tables or calls the handler runs on
 * the loop thread; {@link #open} decides, by compare-and-set, which close reports {@code closed}.
 */
final class UdpConn implements Conn, UdpLoop.Readable {
    private final UdpTransport transport;
    private final UdpListener listener; // null for a client conn
    private final DatagramChannel channel;
    private final InetSocketAddress remote;
    private final ConnInfo info;
    final ConnHandler handler;
    private final int maxFrameSize;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** The listener's for a server conn, this conn's own for a client conn. */
    private final SendGuard sendGuard;
    /** Loop thread only: the client's registration with the selector. */
    SelectionKey key;
    /** Loop thread only: {@code nanoTime} of the last datagram (server conns, for idle expiry). */
    long lastReceived;

    UdpConn(UdpTransport transport, UdpListener listener, DatagramChannel channel, ConnInfo info,
            ConnHandler handler, int maxFrameSize) {
        this.transport = transport;
        this.listener = listener;
        this.channel = channel;
        this.remote = info.remote();
        this.info = info;
        this.handler = handler;
        this.maxFrameSize = maxFrameSize;
        this.sendGuard = listener == null ? new SendGuard() : listener.sendGuard;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        if (!open.get()) {
            return false;
        }
        int length = frame.remaining();
        if (length > maxFrameSize) {
            transport.counters.sendTooLarge.increment();
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            // An interrupted thread's channel operation closes the channel: for a listener, every
            // conn on its port. Refuse instead.
            transport.counters.sendErrors.increment();
            return false;
        }
        int position = frame.position();
        try {
            int sent = listener == null ? channel.write(frame) : channel.send(frame, remote);
            if (sent == 0 && length > 0) {
                transport.counters.sendFull.increment();
                return false;
            }
            return true;
        } catch (PortUnreachableException e) {
            // A connected client socket heard ICMP port unreachable: nobody listens there (any more).
            closeWith(CloseReason.RESET);
            return false;
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            transport.counters.sendErrors.increment();
            return false;
        } finally {
            frame.position(position);
        }
    }

    /**
     * The batch in as few system calls as the host can: datagrams of one size leave as one
     * (UDP segmentation offload), so they cross the stack once.
     */
    @Override
    public int send(ByteBuffer[] frames, int count) {
        if (count == 1) {
            return send(frames[0]) ? 1 : 0;
        }
        if (!open.get()) {
            return 0;
        }
        if (Thread.currentThread().isInterrupted()) { // as in send(frame): NIO would close the channel
            transport.counters.sendErrors.increment();
            return 0;
        }
        for (int i = 0; i < count; i++) {
            if (frames[i].remaining() > maxFrameSize) { // rare: the host sizes frames to fit
                return Conn.super.send(frames, count);
            }
        }
        if (!sendGuard.enter()) {
            return 0;
        }
        try {
            int sent = transport.sender().send(channel, listener == null ? null : remote, frames, count);
            if (sent < count) {
                transport.counters.sendFull.add(count - sent);
            }
            return sent;
        } catch (PortUnreachableException e) {
            closeWith(CloseReason.RESET);
            return 0;
        } catch (ClosedChannelException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            transport.counters.sendErrors.increment();
            return 0;
        } finally {
            sendGuard.exit();
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

    /** UDP has nothing to tell the peer: the server's conn times out on silence. */
    @Override
    public void close() {
        closeWith(CloseReason.LOCAL);
    }

    /** From any thread: closes the conn and has the loop report {@code why}, unless it was closed already. */
    void closeWith(CloseReason why) {
        if (open.compareAndSet(true, false)) {
            transport.onLoop(() -> finish(why), () -> {
                // The loop has ended (the transport is closing): the tables are gone, only tell.
                closeClientChannel();
                transport.reportClosed(this, why);
            });
        }
    }

    /** On the loop thread: closes the conn and reports {@code why}, unless it was closed already. */
    void terminate(CloseReason why) {
        if (open.compareAndSet(true, false)) {
            finish(why);
        }
    }

    private void finish(CloseReason why) {
        if (listener != null) {
            listener.forget(this);
        } else {
            transport.forgetClient(this);
            closeClientChannel();
        }
        transport.reportClosed(this, why);
    }

    private void closeClientChannel() {
        if (listener == null) {
            if (key != null) {
                key.cancel();
            }
            sendGuard.shut();
            try {
                channel.close();
            } catch (IOException e) {
                // closing: nothing left to do
            }
        }
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** Loop thread, client conns: reads what the server sent, until none is left or the budget is spent. */
    @Override
    public void onReadable(DatagramBatch batch) {
        int n;
        try {
            n = batch.receive(channel);
        } catch (PortUnreachableException e) {
            terminate(CloseReason.RESET);
            return;
        } catch (IOException e) {
            terminate(CloseReason.ERROR);
            return;
        }
        for (int i = 0; i < n && open.get(); i++) {
            transport.deliver(this, batch.datagram(i));
        }
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
