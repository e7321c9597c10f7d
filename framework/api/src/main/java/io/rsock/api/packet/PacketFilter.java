package io.rsock.api.packet;

import java.net.Inet4Address;

/**
 * Which inbound IPv4 packets a transport wants (for capture) or wants the kernel not to see (for
 * {@link Firewall#dropInbound}). Zero ports and a {@code null} address are wildcards.
 *
 * @param protocol IP protocol number: {@link #TCP}, {@link #UDP} or {@link #ICMP}
 * @param localPort destination port of the inbound packet (for ICMP: the echo identifier, or 0)
 * @param remote source address of the inbound packet, or {@code null} for any
 * @param remotePort source port of the inbound packet (ignored for ICMP), or 0 for any
 */
public record PacketFilter(int protocol, int localPort, Inet4Address remote, int remotePort) {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    public PacketFilter {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range");
        }
    }

    /** Inbound TCP segments to local {@code port}, from anyone. */
    public static PacketFilter tcpTo(int port) {
        return new PacketFilter(TCP, port, null, 0);
    }

    /** Inbound TCP segments from {@code remote:remotePort} to local {@code localPort}. */
    public static PacketFilter tcp(int localPort, Inet4Address remote, int remotePort) {
        return new PacketFilter(TCP, localPort, remote, remotePort);
    }

    /** How many fields are not wildcards; the most specific registration wins. */
    public int specificity() {
        return (localPort != 0 ? 1 : 0) + (remote != null ? 1 : 0) + (remotePort != 0 ? 1 : 0);
    }
}
