package io.rsock.api.datagram;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.Role;
import io.rsock.api.io.DatagramBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One conn of a {@link DatagramTransport}: what its {@link DatagramTransport#encode} sees of it. A
 * dialled conn ({@link Role#CLIENT} end) owns a connected {@link DatagramChannel} from an ephemeral
 * port; an accepted one ({@link Role#SERVER} end) is one remote endpoint of a listening port and
 * sends from the port's channel.
 *
 * <p>{@link #send} runs on the caller's thread straight into the kernel ({@code DatagramChannel}
 * serialises concurrent senders). Everything that touches the tables or calls the handler runs on
 * the transport's I/O thread; {@link #open} decides, by compare-and-set, which close reports
 * {@code closed}.
 */
public final class DatagramConn implements Conn {
    private final DatagramTransport transport;
    private final DatagramListener listener; // null for a dialled conn
    private final DatagramChannel channel;
    private final InetSocketAddress remote;
    private final ConnInfo info;
    final ConnHandler handler;
    private final int maxFrameSize;
    private final int maxDatagram;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** The listener's for an accepted conn, this conn's own for a dialled one. */
    private final SendGuard sendGuard;
    private volatile long tag;
    /** I/O thread only: a dialled conn's registration with the selector. */
    SelectionKey key;
    /** I/O thread only: {@code nanoTime} of the last datagram (accepted conns, for idle expiry). */
    long lastReceived;

    DatagramConn(DatagramTransport transport, DatagramListener listener, DatagramChannel channel, ConnInfo info,
            ConnHandler handler, int maxDatagram) {
        this.transport = transport;
        this.listener = listener;
        this.channel = channel;
        this.remote = info.remote();
        this.info = info;
        this.handler = handler;
        this.maxDatagram = maxDatagram;
        this.maxFrameSize = Math.min(transport.maxFrameSize(end(), maxDatagram), maxDatagram);
        this.sendGuard = listener == null ? new SendGuard() : listener.sendGuard;
    }

    /** {@link Role#CLIENT} for a conn this side dialled, {@link Role#SERVER} for one accepted on a listening port. */
    public Role end() {
        return listener == null ? Role.CLIENT : Role.SERVER;
    }

    /**
     * What {@link DatagramTransport#decode} returned for the latest datagram of this conn (0 before
     * the first): e.g. the id of a DNS query, which the answer must carry.
     */
    public long tag() {
        return tag;
    }

    /** The peer's address and port. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Most bytes a datagram of this conn may have: what one packet of the path MTU carries after the IP and UDP headers. */
    public int maxDatagramSize() {
        return maxDatagram;
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
            // An interrupted thread's channel operation closes the channel: for a listener, every
            // conn on its port. Refuse instead.
            transport.counters.sendErrors.increment();
            return false;
        }
        int position = frame.position();
        int limit = frame.limit();
        try {
            ByteBuffer datagram = transport.encode(this, frame, transport.scratch().one(maxDatagram));
            int length = datagram.remaining();
            int sent = listener == null ? channel.write(datagram) : channel.send(datagram, remote);
            if (sent == 0 && length > 0) {
                transport.counters.sendFull.increment();
                return false;
            }
            return true;
        } catch (PortUnreachableException e) {
            // A connected socket heard ICMP port unreachable: nobody listens there (any more).
            closeWith(CloseReason.RESET);
            return false;
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            transport.counters.sendErrors.increment();
            return false;
        } finally {
            frame.limit(limit).position(position);
        }
    }

    /**
     * The batch in as few system calls as the host can: datagrams of one size leave as one (UDP
     * segmentation offload), so they cross the stack once. Frames over {@link #maxFrameSize()} are
     * refused (counted) and the others go.
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
        if (!sendGuard.enter()) {
            return 0;
        }
        SendScratch scratch = transport.scratch();
        try {
            int accepted = 0;
            for (int from = 0; from < count && open.get(); from += SendScratch.BATCH) {
                accepted += sendChunk(frames, from, Math.min(count - from, SendScratch.BATCH), scratch);
            }
            return accepted;
        } catch (PortUnreachableException e) {
            closeWith(CloseReason.RESET);
            return 0;
        } catch (ClosedChannelException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            transport.counters.sendErrors.increment();
            return 0;
        } finally {
            scratch.forget();
            sendGuard.exit();
        }
    }

    /** Encodes {@code frames[from..from + n)} (refusing those too large) and sends them in one go. */
    private int sendChunk(ByteBuffer[] frames, int from, int n, SendScratch scratch) throws IOException {
        ByteBuffer[] datagrams = scratch.datagrams;
        int built = 0;
        for (int i = from; i < from + n; i++) {
            ByteBuffer frame = frames[i];
            if (frame.remaining() > maxFrameSize) {
                transport.counters.sendTooLarge.increment();
                continue;
            }
            int position = frame.position();
            int limit = frame.limit();
            try {
                datagrams[built] = transport.encode(this, frame, scratch.out(built, maxDatagram));
                built++;
            } catch (RuntimeException e) {
                transport.counters.sendErrors.increment();
            } finally {
                frame.limit(limit).position(position);
            }
        }
        int sent = transport.sender().send(channel, listener == null ? null : remote, datagrams, built);
        if (sent < built) {
            transport.counters.sendFull.add(built - sent);
        }
        return sent;
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

    /** A datagram transport has nothing to tell the peer: the server's conn times out on silence. */
    @Override
    public void close() {
        closeWith(CloseReason.LOCAL);
    }

    /** From any thread: closes the conn and has the I/O thread report {@code why}, unless it was closed already. */
    void closeWith(CloseReason why) {
        if (open.compareAndSet(true, false)) {
            transport.onLoop(() -> finish(why), () -> {
                // The I/O thread has ended (the transport is closing): the tables are gone, only tell.
                closeOwnChannel();
                transport.reportClosed(this, why);
            });
        }
    }

    /** On the I/O thread: closes the conn and reports {@code why}, unless it was closed already. */
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
            closeOwnChannel();
        }
        transport.reportClosed(this, why);
    }

    private void closeOwnChannel() {
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

    /** I/O thread, dialled conns: reads what the peer sent, one batch. */
    void onReadable(DatagramBatch batch) {
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
            ByteBuffer datagram = batch.datagram(i);
            long t = transport.decoded(Role.CLIENT, batch, i);
            if (t != DatagramTransport.NOT_OURS) {
                tag = t;
                transport.deliver(this, datagram);
            }
        }
    }

    /** I/O thread, accepted conns: the latest datagram's tag and time. */
    void heard(long t, long now) {
        tag = t;
        lastReceived = now;
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
