package io.rsock.api.datagram;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One sending thread's buffers for encoded datagrams, so that a send allocates nothing: per thread,
 * since any number of threads send at once, and grown to the largest datagram asked for.
 */
final class SendScratch {
    /** Most datagrams encoded before a batch goes to the kernel. */
    static final int BATCH = 64;

    private ByteBuffer one = ByteBuffer.allocateDirect(0);
    private final ByteBuffer[] outs = new ByteBuffer[BATCH];
    /** What a batch hands to the sender: encoded datagrams, or the frames themselves. */
    final ByteBuffer[] datagrams = new ByteBuffer[BATCH];

    /** The buffer for a single send, cleared, with room for {@code size} bytes. */
    ByteBuffer one(int size) {
        if (one.capacity() < size) {
            one = ByteBuffer.allocateDirect(size);
        }
        return one.clear().limit(size);
    }

    /** Buffer {@code i} of a batch, cleared, with room for {@code size} bytes. */
    ByteBuffer out(int i, int size) {
        ByteBuffer b = outs[i];
        if (b == null || b.capacity() < size) {
            b = outs[i] = ByteBuffer.allocateDirect(size);
        }
        return b.clear().limit(size);
    }

    /** Drops the references to the caller's frames a batch may have kept. */
    void forget() {
        Arrays.fill(datagrams, null);
    }
}
