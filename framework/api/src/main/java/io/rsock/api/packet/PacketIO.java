package io.rsock.api.packet;

import io.rsock.api.TransportException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The shared raw packet layer: capture of inbound IPv4 packets (pcap with a kernel BPF filter) and
 * injection of whole IPv4 packets (a raw {@code IP_HDRINCL} socket on Linux, so the kernel routes,
 * resolves neighbours and NATs; pcap L2 injection elsewhere).
 *
 * <p>One capture per device is shared by every transport; each registers the flows it wants and
 * gets only those. Implementations: {@code rsock-core} (real devices) and {@code rsock-testkit}
 * (an in-memory network for tests).
 */
public interface PacketIO {

    /** The IPv4 address of the device, the source address of the packets a transport builds. */
    Inet4Address localAddress();

    /** MTU of the device in bytes (IPv4 header included). */
    int mtu();

    /**
     * Starts delivering inbound packets that match {@code filter} to {@code receiver}, on the capture
     * thread, until the registration is closed. Packets that match several registrations go to the
     * most specific one.
     */
    Registration register(PacketFilter filter, PacketReceiver receiver) throws TransportException;

    /**
     * Sends one whole IPv4 packet (header and checksums filled in by the caller) from
     * {@code packet.position()} to {@code packet.limit()}. The buffer is the caller's again when
     * this returns. Thread-safe, never blocks.
     *
     * @return {@code false} when the packet was dropped (send buffer full, no route...)
     */
    boolean send(ByteBuffer packet);

    /**
     * Sends {@code packets[0]} to {@code packets[count - 1]} as {@link #send(ByteBuffer)} would one by
     * one; the host's does it with one system call where it can.
     *
     * @return how many were sent
     */
    default int send(ByteBuffer[] packets, int count) {
        int sent = 0;
        for (int i = 0; i < count; i++) {
            if (send(packets[i])) {
                sent++;
            }
        }
        return sent;
    }
}
