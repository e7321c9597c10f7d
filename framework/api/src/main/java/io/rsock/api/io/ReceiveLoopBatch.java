package io.rsock.api.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * {@link DatagramBatch} by calling {@link DatagramChannel#receive} until nothing is left or the batch
 * is full. Each slot has one byte more than {@code maxSize}: {@code receive} drops what does not fit
 * without a word, so a datagram that fills the spare byte was longer than {@code maxSize}.
 */
final class ReceiveLoopBatch implements DatagramBatch {
    private final ByteBuffer[] datagrams;
    private final SocketAddress[] senders;
    private final boolean[] truncated;
    private final int maxSize;
    /** A failure met after some datagrams were read: those are returned first, it is thrown next time. */
    private IOException pending;

    ReceiveLoopBatch(int capacity, int maxSize) {
        if (capacity < 1 || maxSize < 1) {
            throw new IllegalArgumentException("capacity and maxSize must be positive");
        }
        int slot = maxSize + 1;
        ByteBuffer all = ByteBuffer.allocateDirect(capacity * slot);
        this.maxSize = maxSize;
        datagrams = new ByteBuffer[capacity];
        senders = new SocketAddress[capacity];
        truncated = new boolean[capacity];
        for (int i = 0; i < capacity; i++) {
            datagrams[i] = all.slice(i * slot, slot);
        }
    }

    @Override
    public int receive(DatagramChannel channel) throws IOException {
        if (pending != null) {
            IOException e = pending;
            pending = null;
            throw e;
        }
        int n = 0;
        while (n < datagrams.length) {
            ByteBuffer b = datagrams[n];
            b.clear();
            SocketAddress from;
            try {
                from = channel.receive(b);
            } catch (IOException e) {
                if (n == 0) {
                    throw e;
                }
                pending = e;
                break;
            }
            if (from == null) {
                break;
            }
            b.flip();
            truncated[n] = b.limit() > maxSize;
            if (truncated[n]) {
                b.limit(maxSize);
            }
            senders[n++] = from;
        }
        return n;
    }

    @Override
    public ByteBuffer datagram(int i) {
        return datagrams[i];
    }

    @Override
    public boolean truncated(int i) {
        return truncated[i];
    }

    @Override
    public SocketAddress sender(int i) {
        return senders[i];
    }

    @Override
    public int capacity() {
        return datagrams.length;
    }
}
