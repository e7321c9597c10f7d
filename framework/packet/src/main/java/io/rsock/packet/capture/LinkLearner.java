package io.rsock.packet.capture;

import java.nio.ByteBuffer;

/**
 * Shown every captured IP frame before it is demultiplexed, on the capture thread: how the
 * portable path learns the link address each peer's packets arrive from. Must not block or
 * allocate in the common case.
 */
@FunctionalInterface
public interface LinkLearner {
    /** Learns nothing: the Linux path, where the kernel resolves neighbours. */
    LinkLearner NONE = (frame, ipOffset, nowNanos) -> { };

    /**
     * @param frame the frame from index 0 to its limit; only read, never kept
     * @param ipOffset where its IP header (IPv4 or IPv6) starts (14 or more for Ethernet)
     * @param nowNanos {@link System#nanoTime()} of its capture
     */
    void heard(ByteBuffer frame, int ipOffset, long nowNanos);
}
