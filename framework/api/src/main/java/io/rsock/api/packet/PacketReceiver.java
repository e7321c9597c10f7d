package io.rsock.api.packet;

import java.nio.ByteBuffer;

/** Gets captured packets. Called on the capture thread: return quickly, never block. */
@FunctionalInterface
public interface PacketReceiver {
    /**
     * One inbound IPv4 or IPv6 packet (its version nibble says which), from the IP header at
     * {@code packet.position()} to {@code packet.limit()}. Valid only during the call; the layer reuses the buffer.
     */
    void received(ByteBuffer packet);
}
