package io.rsock.packet.lab;

import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import io.rsock.api.codec.Udp;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Whole IPv4 packets for the tests, built with rsock-api's codec: what a transport would hand to PacketIO.send. */
public final class Packets {
    private Packets() {
    }

    /** An IPv4 + TCP segment (ACK|PSH, no options) carrying {@code payload}, checksums filled. */
    public static ByteBuffer tcp(String src, int srcPort, String dst, int dstPort, String payload) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        int n = Ipv4TcpWriter.write(b, 0, addr(src), addr(dst), 1, srcPort, dstPort, 1000, 2000, Tcp.ACK | Tcp.PSH, 65535,
                ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        return b.limit(n).position(0);
    }

    /** An IPv4 + UDP datagram carrying {@code payload}, checksums filled. */
    public static ByteBuffer udp(String src, int srcPort, String dst, int dstPort, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        int total = Ipv4.MIN_HEADER + Udp.HEADER + data.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        ipHeader(b, 17, src, dst, total);
        int u = Ipv4.MIN_HEADER;
        Udp.setSourcePort(b, u, srcPort);
        Udp.setDestinationPort(b, u, dstPort);
        Udp.setLength(b, u, Udp.HEADER + data.length);
        b.put(u + Udp.HEADER, data);
        Udp.fillChecksumIpv4(b, 0);
        return b.position(0);
    }

    /** An ICMP echo request with identifier {@code id}, checksums filled. */
    public static ByteBuffer echoRequest(String src, String dst, int id, int type) {
        int total = Ipv4.MIN_HEADER + 8;
        ByteBuffer b = ByteBuffer.allocate(total);
        ipHeader(b, 1, src, dst, total);
        int i = Ipv4.MIN_HEADER;
        b.put(i, (byte) type).putShort(i + 4, (short) id).putShort(i + 6, (short) 1);
        b.putShort(i + 2, (short) Checksum.compute(b, i, 8));
        return b.position(0);
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
