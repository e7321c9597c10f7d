package io.rsock.api.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** {@link DatagramBatch} by calling {@link DatagramChannel#receive} until nothing is left or the batch is full. */
final class ReceiveLoopBatch implements DatagramBatch {
    private final ByteBuffer[] datagrams;
    private final SocketAddress[] senders;
    /** A failure met after some datagrams were read: those are returned first, it is thrown next time. */
    private IOException pending;

    ReceiveLoopBatch(int capacity, int maxSize) {
        if (capacity < 1 || maxSize < 1) {
            throw new IllegalArgumentException("capacity and maxSize must be positive");
        }
        ByteBuffer all = ByteBuffer.allocateDirect(capacity * maxSize);
        datagrams = new ByteBuffer[capacity];
        senders = new SocketAddress[capacity];
        for (int i = 0; i < capacity; i++) {
            datagrams[i] = all.slice(i * maxSize, maxSize);
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
            senders[n++] = from;
        }
        return n;
    }

    @Override
    public ByteBuffer datagram(int i) {
        return datagrams[i];
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
