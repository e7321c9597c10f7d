package io.rsock.api.raw;

import io.rsock.api.Counter;
import io.rsock.api.packet.PacketIO;
import java.nio.ByteBuffer;

/**
 * A conn's own buffer for the packets it builds, one at a time from the start of {@link #buffer()},
 * and their send: no allocation per packet. Not thread-safe: used under the conn's lock.
 */
public final class PacketOut {
    private final ByteBuffer out;
    private final PacketIO io;
    private final Counter dropped;

    /**
     * @param capacity the largest packet, IPv4 header included (the device's MTU)
     * @param dropped counts the packets the layer refused
     */
    public PacketOut(PacketIO io, int capacity, Counter dropped) {
        this.io = io;
        this.out = ByteBuffer.allocateDirect(capacity);
        this.dropped = dropped;
    }

    /** The buffer to build the next packet in, from index 0, with absolute writes. */
    public ByteBuffer buffer() {
        return out;
    }

    /** Sends the {@code length}-byte packet at the start of {@link #buffer()}; false (counted) when the layer refused it. */
    public boolean send(int length) {
        out.limit(length).position(0);
        boolean ok = io.send(out);
        out.clear(); // absolute writes of the next packet check against the limit
        if (!ok) {
            dropped.increment();
        }
        return ok;
    }
}
