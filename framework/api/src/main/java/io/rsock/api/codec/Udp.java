package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * UDP header fields (RFC 768) read and written in place at an absolute offset, like {@link Ipv4}:
 * no allocation, the buffer's position untouched.
 */
public final class Udp {
    /** Header length. */
    public static final int HEADER = 8;

    private Udp() {
    }

    public static int sourcePort(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    public static int destinationPort(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    /** Length of header plus payload, in bytes. */
    public static int length(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    /** The checksum field; 0 means the sender computed none. */
    public static int checksum(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xFFFF;
    }

    public static void setSourcePort(ByteBuffer b, int off, int port) {
        b.putShort(off, (short) port);
    }

    public static void setDestinationPort(ByteBuffer b, int off, int port) {
        b.putShort(off + 2, (short) port);
    }

    public static void setLength(ByteBuffer b, int off, int length) {
        b.putShort(off + 4, (short) length);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        b.putShort(off + 6, (short) checksum);
    }

    /**
     * Fills the checksum of the UDP datagram in the IPv4 packet at {@code ipOff} (whose header and
     * UDP length are already right). A computed 0 is sent as 0xFFFF, as RFC 768 says.
     */
    public static void fillChecksumIpv4(ByteBuffer b, int ipOff) {
        fillChecksum(b, ipOff);
    }

    /**
     * Fills the checksum of the UDP datagram in the IPv4 or IPv6 packet at {@code ipOff} (header and
     * UDP length already right), over the family's pseudo-header; a computed 0 is sent as 0xFFFF
     * (over IPv6 a zero checksum is not allowed at all).
     */
    public static void fillChecksum(ByteBuffer b, int ipOff) {
        int udp = ipOff + Ip.headerLength(b, ipOff);
        setChecksum(b, udp, 0);
        int c = Checksum.transport(b, ipOff);
        setChecksum(b, udp, c == 0 ? 0xFFFF : c);
    }
}
