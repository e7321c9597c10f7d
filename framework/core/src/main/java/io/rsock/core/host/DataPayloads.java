package io.rsock.core.host;

import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.frame.Reassembler;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The datagram a received DATA frame carries, as both ends deliver it: a whole frame's payload
 * sliced in place, a fragment's only once every fragment of its datagram came.
 */
final class DataPayloads {
    /** How long a half-assembled datagram waits for its other fragments. */
    private static final long FRAGMENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Reassembler reassembler;

    DataPayloads(TunnelSettings settings, Counters counters) {
        this.reassembler = new Reassembler(settings.limits().maxReassembly(), FRAGMENT_TIMEOUT_NANOS,
                counters.get("fragment.dropped"), counters.get("fragment.evicted"));
    }

    /**
     * The datagram of frame {@code f} of client {@code clientId}, positioned for one read; null while
     * fragments are missing. An unfragmented frame's payload is {@code buf} itself, sliced in place.
     */
    ByteBuffer of(int clientId, ReceivedFrame f, ByteBuffer buf, long now) {
        if (f.fragment() != 0) {
            return reassembler.add(clientId, f.counter(), f.fragment(), buf, f.payloadOffset(), f.payloadLength(), now);
        }
        buf.limit(f.payloadOffset() + f.payloadLength()).position(f.payloadOffset());
        return buf;
    }

    /** Lets go of datagrams whose fragments stopped coming. */
    void expire(long now) {
        reassembler.expire(now);
    }
}
