package io.rsock.api.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends many datagrams to one destination on a channel at once: where the host can, datagrams of one
 * size go down the stack as one (UDP segmentation offload, {@code UDP_SEGMENT}) and are cut into
 * datagrams at the device or the receiver, which saves the per-packet cost of every hop on the way.
 * Thread-safe.
 */
public interface DatagramSender {

    /**
     * Sends {@code datagrams[0..count)} in order, each from its position to its limit (left as they
     * were), on the non-blocking {@code channel}: to {@code to}, or to the connected peer when
     * {@code to} is null. Never blocks. The caller keeps the channel open until this returns.
     *
     * @return how many were sent; the rest were dropped (buffer full)
     * @throws java.net.PortUnreachableException when the connected peer answered ICMP port unreachable
     * @throws IOException for any other failure of the channel
     */
    default int send(DatagramChannel channel, SocketAddress to, ByteBuffer[] datagrams, int count) throws IOException {
        return send(channel, to, datagrams, 0, count);
    }

    /** The same for {@code datagrams[from..from + count)}; returns how many of those were sent. */
    int send(DatagramChannel channel, SocketAddress to, ByteBuffer[] datagrams, int from, int count) throws IOException;

    /** The implementation that works everywhere: one {@link DatagramChannel} send per datagram. */
    static DatagramSender portable() {
        return SendLoop.INSTANCE;
    }
}
