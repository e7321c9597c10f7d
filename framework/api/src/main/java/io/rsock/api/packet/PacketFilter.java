package io.rsock.api.packet;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Which inbound IPv4 or IPv6 packets a transport wants (for capture) or wants the kernel not to see
 * (for {@link Firewall#dropInbound}). Zero ports and a {@code null} address are wildcards; a
 * {@code null} address matches both families for TCP and UDP (a server listening on a port takes
 * clients of either), while ICMP ({@link #ICMP}) and ICMPv6 ({@link #ICMPV6}) are two protocols, one
 * per family.
 *
 * @param protocol IP protocol (IPv6: next header) number: {@link #TCP}, {@link #UDP}, {@link #ICMP} or {@link #ICMPV6}
 * @param localPort destination port of the inbound packet (for ICMP and ICMPv6: the echo identifier, or 0)
 * @param remoteAddress source address of the inbound packet, IPv4 or IPv6, or {@code null} for any
 * @param remotePort source port of the inbound packet (ignored for ICMP), or 0 for any
 */
public record PacketFilter(int protocol, int localPort, InetAddress remoteAddress, int remotePort) {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** ICMPv6 (IPv6 next header 58): echo requests and replies over IPv6. */
    public static final int ICMPV6 = 58;

    public PacketFilter {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range");
        }
        if (protocol == ICMP && remoteAddress != null && !(remoteAddress instanceof Inet4Address)
                || protocol == ICMPV6 && remoteAddress instanceof Inet4Address) {
            throw new IllegalArgumentException("protocol " + protocol + " with a remote of the other family: " + remoteAddress);
        }
    }

    /** The filter of an IPv4 remote, as rsock-api 0.1.0 made it (plugins built against it call this). */
    public PacketFilter(int protocol, int localPort, Inet4Address remote, int remotePort) {
        this(protocol, localPort, (InetAddress) remote, remotePort);
    }

    /** The remote when it is IPv4, else {@code null}: rsock-api 0.1.0's accessor; use {@link #remoteAddress()}. */
    public Inet4Address remote() {
        return remoteAddress instanceof Inet4Address a ? a : null;
    }

    /** Inbound TCP segments to local {@code port}, from anyone of either family. */
    public static PacketFilter tcpTo(int port) {
        return new PacketFilter(TCP, port, (InetAddress) null, 0);
    }

    /** Inbound TCP segments from {@code remote:remotePort} to local {@code localPort}. */
    public static PacketFilter tcp(int localPort, Inet4Address remote, int remotePort) {
        return new PacketFilter(TCP, localPort, remote, remotePort);
    }

    /** Inbound TCP segments from {@code remote:remotePort} (IPv4 or IPv6) to local {@code localPort}. */
    public static PacketFilter tcp(int localPort, InetAddress remote, int remotePort) {
        return new PacketFilter(TCP, localPort, remote, remotePort);
    }

    /** Whether the filter is for IPv6 only: ICMPv6, or an IPv6 remote. */
    public boolean isV6Only() {
        return protocol == ICMPV6 || remoteAddress != null && !(remoteAddress instanceof Inet4Address);
    }

    /** Whether the filter is for IPv4 only: ICMP, or an IPv4 remote. */
    public boolean isV4Only() {
        return protocol == ICMP || remoteAddress instanceof Inet4Address;
    }

    /** How many fields are not wildcards; the most specific registration wins. */
    public int specificity() {
        return (localPort != 0 ? 1 : 0) + (remoteAddress != null ? 1 : 0) + (remotePort != 0 ? 1 : 0);
    }
}
