package io.rsock.api.packet;

import io.rsock.api.TransportException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The shared raw packet layer: capture of inbound IPv4 and IPv6 packets (pcap with a kernel BPF
 * filter) and injection of whole IPv4 and IPv6 packets (raw {@code IP_HDRINCL} sockets on Linux, so
 * the kernel routes, resolves neighbours and NATs; pcap L2 injection elsewhere).
 *
 * <p>One capture per device is shared by every transport; each registers the flows it wants and
 * gets only those. Implementations: {@code rsock-core} (real devices) and {@code rsock-testkit}
 * (an in-memory network for tests).
 */
public interface PacketIO {

    /**
     * The IPv4 address of the device, the source address of the IPv4 packets a transport builds;
     * {@code null} when the device has none (an IPv6-only host).
     */
    Inet4Address localAddress();

    /**
     * The source address of packets to {@code destination}: for IPv4 {@link #localAddress()}; for
     * IPv6 the device's address the system would pick for it (global or unique-local, as the
     * destination's scope asks). {@code null} when the device has no address of that family. Not for
     * the packet path: a conn asks once.
     *
     * <p>The default answers IPv4 only, as a packet layer of rsock-api 0.1.0 did.
     */
    default InetAddress sourceAddress(InetAddress destination) {
        return destination instanceof Inet4Address ? localAddress() : null;
    }

    /** MTU of the device in bytes (IP header included). */
    int mtu();

    /**
     * The path MTU towards {@code destination} in bytes (IP header included): the device's
     * {@link #mtu()}, lowered by what ICMP "fragmentation needed" (IPv4) and ICMPv6 "packet too big"
     * messages about this host's own packets to it said (never below 1 280 for IPv6, 576 for
     * IPv4), until that expires. Routers do not fragment DF-marked IPv4 packets, nor any IPv6 packet:
     * a packet larger than this is lost on the way. A lookup in a small table: call it from timers,
     * not per packet.
     *
     * <p>The default is the device's MTU, as a packet layer of rsock-api 0.1.0 did.
     */
    default int pathMtu(InetAddress destination) {
        return mtu();
    }

    /**
     * Starts delivering inbound packets that match {@code filter} to {@code receiver}, on the capture
     * thread, until the registration is closed. Packets that match several registrations go to the
     * most specific one.
     */
    Registration register(PacketFilter filter, PacketReceiver receiver) throws TransportException;

    /**
     * Sends one whole IPv4 or IPv6 packet (header and checksums filled in by the caller) from
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
