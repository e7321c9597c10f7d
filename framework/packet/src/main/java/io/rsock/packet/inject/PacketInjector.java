package io.rsock.packet.inject;

import java.nio.ByteBuffer;

/**
 * Sends whole IPv4 packets. One class per way of doing it (raw socket, pcap L2), chosen when the
 * packet layer opens, like wireguard-go's per-platform {@code Bind}s.
 */
public interface PacketInjector extends AutoCloseable {
    /**
     * Sends the IPv4 packet from {@code packet.position()} to its limit without blocking; the buffer
     * is untouched and the caller's again on return. Thread-safe.
     *
     * @return false when the packet was dropped (buffer full, no route, closed...)
     */
    boolean send(ByteBuffer packet);

    /** Sends {@code packets[0..count)} as {@link #send(ByteBuffer)} would one by one; returns how many went. */
    default int send(ByteBuffer[] packets, int count) {
        int sent = 0;
        for (int i = 0; i < count; i++) {
            if (send(packets[i])) {
                sent++;
            }
        }
        return sent;
    }

    /** Short name for logs: {@code "raw"} or {@code "pcap"}. */
    String name();

    /** Releases the socket or handle. Idempotent; later sends return false. */
    @Override
    void close();
}
