package io.rsock.packet.link;

import io.rsock.api.codec.IpAddress;
import io.rsock.packet.capture.LinkLayer;
import java.nio.ByteBuffer;

/**
 * Reads and builds the Ethernet frames the portable path learns next hops from: the kernel's own
 * datagram to the peer (IPv4 or IPv6), and ARP. Pure functions of the bytes, so recorded frames test them. Reads
 * only within the frame's limit; anything short or foreign is "not it", never an exception.
 */
public final class LinkFrames {
    static final int ETHER_HEADER = 14;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ARP_FRAME = ETHER_HEADER + 28;
    private static final int ARP_REQUEST = 1;
    private static final int ARP_REPLY = 2;
    private static final int UDP = 17;

    private LinkFrames() {
    }

    /** What an ARP reply says: {@code address} is at {@code mac}. */
    public record ArpAnswer(int address, long mac) {
    }

    /**
     * Whether {@code frame} (Ethernet, index 0 to its limit) carries the UDP datagram from
     * {@code local:localPort} to {@code peer:peerPort}. Its destination MAC is then the next hop's
     * towards the peer, its source MAC ours.
     */
    public static boolean isDatagram(ByteBuffer frame, int local, int localPort, int peer, int peerPort) {
        return isDatagram(frame, IpAddress.v4(local), localPort, IpAddress.v4(peer), peerPort);
    }

    /** {@link #isDatagram(ByteBuffer, int, int, int, int)} for addresses of either family (both of one). */
    public static boolean isDatagram(ByteBuffer frame, IpAddress local, int localPort, IpAddress peer, int peerPort) {
        int ip = LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, frame);
        int len = frame.limit();
        if (ip < 0 || len < ip + 20) {
            return false;
        }
        boolean v6 = (frame.get(ip) & 0xF0) == 0x60;
        int hl = v6 ? 40 : (frame.get(ip) & 0x0F) * 4;
        int protocol = frame.get(ip + (v6 ? 6 : 9)) & 0xFF;
        if (v6 != peer.isV6() || hl < 20 || len < ip + hl + 8 || protocol != UDP || !v6 && (frame.getShort(ip + 6) & 0x1FFF) != 0) {
            return false; // a later fragment has no UDP header
        }
        boolean toPeer = v6 ? frame.getLong(ip + 24) == peer.high() && frame.getLong(ip + 32) == peer.low()
                : frame.getInt(ip + 16) == peer.v4();
        return toPeer && local.isSourceOf(frame, ip)
                && (frame.getShort(ip + hl) & 0xFFFF) == localPort && (frame.getShort(ip + hl + 2) & 0xFFFF) == peerPort;
    }

    /** The destination MAC of an Ethernet frame. */
    public static long destination(ByteBuffer frame) {
        return MacAddress.read(frame, 0);
    }

    /** The source MAC of an Ethernet frame. */
    public static long source(ByteBuffer frame) {
        return MacAddress.read(frame, 6);
    }

    /** The sender of an ARP reply for IPv4 over Ethernet, or null when {@code frame} is none. */
    public static ArpAnswer arpReply(ByteBuffer frame) {
        if (frame.limit() < ARP_FRAME || (frame.getShort(12) & 0xFFFF) != ETHERTYPE_ARP) {
            return null;
        }
        boolean ipv4OverEthernet = frame.getShort(14) == 1 && frame.getShort(16) == 0x0800 && frame.get(18) == 6 && frame.get(19) == 4;
        if (!ipv4OverEthernet || frame.getShort(20) != ARP_REPLY) {
            return null;
        }
        return new ArpAnswer(frame.getInt(28), MacAddress.read(frame, 22));
    }

    /**
     * Writes a broadcast ARP request "who has {@code target}? tell {@code ourAddress}" at index 0
     * of {@code frame}; returns its length.
     */
    public static int arpRequest(ByteBuffer frame, long ourMac, int ourAddress, int target) {
        MacAddress.write(frame, 0, MacAddress.BROADCAST);
        MacAddress.write(frame, 6, ourMac);
        frame.putShort(12, (short) ETHERTYPE_ARP);
        frame.putShort(14, (short) 1).putShort(16, (short) 0x0800).put(18, (byte) 6).put(19, (byte) 4);
        frame.putShort(20, (short) ARP_REQUEST);
        MacAddress.write(frame, 22, ourMac);
        frame.putInt(28, ourAddress);
        MacAddress.write(frame, 32, 0);
        frame.putInt(38, target);
        return ARP_FRAME;
    }
}
