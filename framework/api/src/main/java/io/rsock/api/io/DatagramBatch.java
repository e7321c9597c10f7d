package io.rsock.api.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Reads the datagrams waiting on a channel in one go: with one {@code recvmmsg} where the host can
 * (a datagram costs a system call otherwise, and under load the calls are most of a relay's cost),
 * with a loop of {@link DatagramChannel#receive} where it cannot. Holds its buffers; owned by one
 * thread, like the channels it reads.
 */
public interface DatagramBatch {

    /**
     * Reads up to {@link #capacity()} datagrams that are waiting on {@code channel}, which must be in
     * non-blocking mode. Never blocks.
     *
     * @return how many were read, 0 when none was waiting
     * @throws java.net.PortUnreachableException when the connected peer's port answered ICMP
     *     unreachable, as {@link DatagramChannel#receive} does; reading again goes on
     * @throws IOException for any other failure of the channel
     */
    int receive(DatagramChannel channel) throws IOException;

    /**
     * Datagram {@code i} of the last {@link #receive}, from position 0 to its length (cut to
     * {@code maxSize} if it was longer: see {@link #truncated}). Valid until the next receive.
     */
    ByteBuffer datagram(int i);

    /**
     * Whether datagram {@code i} of the last {@link #receive} was longer than {@code maxSize} and
     * {@link #datagram} holds only its first {@code maxSize} bytes. A cut frame is garbage: drop it
     * and count it.
     */
    default boolean truncated(int i) {
        return false;
    }

    /** Who sent datagram {@code i} of the last receive. The same object while the sender stays the same. */
    SocketAddress sender(int i);

    /** Most datagrams one receive reads. */
    int capacity();

    /** The implementation that works everywhere: one {@link DatagramChannel#receive} per datagram. */
    static DatagramBatch portable(int capacity, int maxSize) {
        return new ReceiveLoopBatch(capacity, maxSize);
    }
}
