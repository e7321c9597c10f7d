package io.rsock.packet.lab;

import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.IpTcpWriter;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import io.rsock.api.codec.Udp;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Whole IP packets for the tests, built with rsock-api's codec: what a transport would hand to
 * PacketIO.send. Addresses are text; TCP, UDP and echoes take either family's.
 */
public final class Packets {
    private Packets() {
    }

    /** An IPv4 or IPv6 + TCP segment (ACK|PSH, no options) carrying {@code payload}, checksums filled. */
    public static ByteBuffer tcp(String src, int srcPort, String dst, int dstPort, String payload) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        int o = IpTcpWriter.begin(b, 0, ip(src), ip(dst), 1, srcPort, dstPort, 1000, 2000, Tcp.ACK | Tcp.PSH, 65535, 0);
        b.put(o, data);
        int n = IpTcpWriter.finish(b, 0, data.length);
        return b.limit(n).position(0);
    }

    /** An IPv4 or IPv6 + UDP datagram carrying {@code payload}, checksums filled. */
    public static ByteBuffer udp(String src, int srcPort, String dst, int dstPort, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(100 + data.length);
        int u = Ip.writeHeader(b, 0, ip(src), ip(dst), 17, 1);
        Udp.setSourcePort(b, u, srcPort);
        Udp.setDestinationPort(b, u, dstPort);
        Udp.setLength(b, u, Udp.HEADER + data.length);
        b.put(u + Udp.HEADER, data);
        int n = Ip.finish(b, 0, Udp.HEADER + data.length);
        Udp.fillChecksum(b, 0);
        return b.limit(n).position(0);
    }

    /** An ICMP echo message of {@code type} with identifier {@code id}, checksums filled. */
    public static ByteBuffer echoRequest(String src, String dst, int id, int type) {
        int total = Ipv4.MIN_HEADER + 8;
        ByteBuffer b = ByteBuffer.allocate(total);
        ipHeader(b, 1, src, dst, total);
        int i = Ipv4.MIN_HEADER;
        b.put(i, (byte) type).putShort(i + 4, (short) id).putShort(i + 6, (short) 1);
        b.putShort(i + 2, (short) Checksum.compute(b, i, 8));
        return b.position(0);
    }

    /** An echo request or reply of either family with identifier {@code id}, checksums filled. */
    public static ByteBuffer echo(String src, String dst, int id, boolean request) {
        ByteBuffer b = ByteBuffer.allocate(100);
        int n = Icmp.writeEcho(b, 0, ip(src), ip(dst), 1, request, id, 1, ByteBuffer.allocate(0));
        return b.limit(n).position(0);
    }

    /**
     * What a router at {@code router} sends when {@code ours} (a packet of ours, position to limit)
     * was too big for its next link of {@code mtu}: ICMP "fragmentation needed" or ICMPv6 "packet too
     * big", quoting as much of it as fits.
     */
    public static ByteBuffer tooBig(String router, ByteBuffer ours, int mtu) {
        boolean v6 = (ours.get(ours.position()) & 0xF0) == 0x60;
        IpAddress from = ip(router);
        IpAddress to = IpAddress.source(ours, ours.position());
        int quote = Math.min(ours.remaining(), v6 ? 1280 - 48 : 28 + 40);
        ByteBuffer b = ByteBuffer.allocate(48 + quote);
        int i = Ip.writeHeader(b, 0, from, to, v6 ? 58 : 1, 7);
        b.put(i, (byte) (v6 ? Icmp.PACKET_TOO_BIG_V6 : Icmp.DESTINATION_UNREACHABLE)).put(i + 1, (byte) (v6 ? 0 : 4));
        if (v6) {
            b.putInt(i + 4, mtu);
        } else {
            b.putShort(i + 6, (short) mtu);
        }
        b.put(i + 8, ours, ours.position(), quote);
        int n = Ip.finish(b, 0, 8 + quote);
        Icmp.setChecksum(b, i, v6 ? Checksum.transport(b, 0) : Checksum.compute(b, i, 8 + quote));
        return b.limit(n).position(0);
    }

    /** An address of either family from its text. */
    public static IpAddress ip(String text) {
        try {
            return IpAddress.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A raw packet of another protocol with an empty payload. */
    public static ByteBuffer other(int protocol, String src, String dst) {
        ByteBuffer b = ByteBuffer.allocate(Ipv4.MIN_HEADER + 4);
        ipHeader(b, protocol, src, dst, b.capacity());
        return b.position(0);
    }

    private static void ipHeader(ByteBuffer b, int protocol, String src, String dst, int total) {
        b.put(0, (byte) 0x45).putShort(2, (short) total).putShort(6, (short) Ipv4.DONT_FRAGMENT).put(8, (byte) 64)
                .put(9, (byte) protocol).putInt(12, addr(src)).putInt(16, addr(dst));
        Ipv4.fillHeaderChecksum(b, 0);
    }

    public static int addr(String dotted) {
        return ByteBuffer.wrap(inet(dotted).getAddress()).getInt();
    }

    public static Inet4Address inet(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    public static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
