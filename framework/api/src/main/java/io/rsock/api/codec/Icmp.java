package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * ICMP and ICMPv6 header fields (RFC 792, RFC 4443) read and written in place at an absolute
 * offset, like {@link Ipv4}: no allocation, the buffer's position untouched; plus builders of whole
 * IPv4 + ICMP and IPv6 + ICMPv6 echo packets for a raw socket.
 *
 * <p>An echo request or reply is 8 bytes of header (type, code, checksum, identifier, sequence
 * number) and the data, which the answering side echoes; the layout is the same in both families,
 * only the types differ ({@link #ECHO_REQUEST}/{@link #ECHO_REPLY}, {@link #ECHO_REQUEST_V6}/
 * {@link #ECHO_REPLY_V6}). The ICMPv4 checksum covers the ICMP header and data only; the ICMPv6
 * checksum covers the IPv6 pseudo-header too.
 *
 * <pre>{@code
 * int len = Icmp.writeEcho(buf, 0, src, dst, ipId, Icmp.ECHO_REQUEST, identifier, sequence, frame);
 * }</pre>
 */
public final class Icmp {
    /** Header length of echo, and of every ICMP message's fixed part. */
    public static final int HEADER = 8;
    /** IPv4 (no options) and ICMP echo headers. */
    public static final int ECHO_HEADERS = Ipv4.MIN_HEADER + HEADER;

    /** Type: echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Type: destination unreachable (code 4: fragmentation needed). */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** Type: echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Type: time exceeded. */
    public static final int TIME_EXCEEDED = 11;

    /** ICMPv6 type: destination unreachable. */
    public static final int DESTINATION_UNREACHABLE_V6 = 1;
    /** ICMPv6 type: packet too big; the MTU of the next link is the 32 bits at offset 4. */
    public static final int PACKET_TOO_BIG_V6 = 2;
    /** ICMPv6 type: time exceeded. */
    public static final int TIME_EXCEEDED_V6 = 3;
    /** ICMPv6 type: echo request. */
    public static final int ECHO_REQUEST_V6 = 128;
    /** ICMPv6 type: echo reply. */
    public static final int ECHO_REPLY_V6 = 129;
    /** ICMPv6 echo: the IPv6 and echo headers. */
    public static final int ECHO_HEADERS_V6 = Ipv6.HEADER + HEADER;

    /** The TTL of every packet built, Linux's default. */
    public static final int TTL = 64;

    private Icmp() {
    }

    public static int type(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    public static int code(ByteBuffer b, int off) {
        return b.get(off + 1) & 0xFF;
    }

    /** The checksum field. */
    public static int checksum(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    /** Echo identifier (meaningful in echo requests and replies only). */
    public static int identifier(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    /** Echo sequence number (meaningful in echo requests and replies only). */
    public static int sequence(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xFFFF;
    }

    public static void setType(ByteBuffer b, int off, int type) {
        b.put(off, (byte) type);
    }

    public static void setCode(ByteBuffer b, int off, int code) {
        b.put(off + 1, (byte) code);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        b.putShort(off + 2, (short) checksum);
    }

    public static void setIdentifier(ByteBuffer b, int off, int identifier) {
        b.putShort(off + 4, (short) identifier);
    }

    public static void setSequence(ByteBuffer b, int off, int sequence) {
        b.putShort(off + 6, (short) sequence);
    }

    /** The echo request type of IP {@code version} 4 or 6: {@link #ECHO_REQUEST} or {@link #ECHO_REQUEST_V6}. */
    public static int echoRequest(int version) {
        return version == 6 ? ECHO_REQUEST_V6 : ECHO_REQUEST;
    }

    /** The echo reply type of IP {@code version} 4 or 6. */
    public static int echoReply(int version) {
        return version == 6 ? ECHO_REPLY_V6 : ECHO_REPLY;
    }

    /** The IP and echo headers of a packet from {@code source}: {@link #ECHO_HEADERS} or {@link #ECHO_HEADERS_V6}. */
    public static int echoHeaders(IpAddress source) {
        return source.isV6() ? ECHO_HEADERS_V6 : ECHO_HEADERS;
    }

    /** Whether {@code type} is an echo request or reply, the only messages with identifier and sequence. */
    public static boolean isEcho(int type) {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    /**
     * Computes and stores the checksum of the {@code length}-byte ICMP message (header and data) at
     * {@code off}.
     */
    public static void fillChecksum(ByteBuffer b, int off, int length) {
        setChecksum(b, off, 0);
        setChecksum(b, off, Checksum.compute(b, off, length));
    }

    /** Whether the checksum of the {@code length}-byte ICMP message at {@code off} is right. */
    public static boolean verifyChecksum(ByteBuffer b, int off, int length) {
        return Checksum.compute(b, off, length) == 0;
    }

    /**
     * Whether {@code b} holds at {@code ipOff} an IPv4 packet (checked with {@link Ipv4#isValidHeader})
     * of protocol ICMP, unfragmented, carrying at least a whole ICMP header. Hostile input is checked
     * with this before the ICMP accessors are trusted.
     */
    public static boolean isValidIpv4(ByteBuffer b, int ipOff) {
        return Ipv4.isValidHeader(b, ipOff) && Ipv4.protocol(b, ipOff) == 1
                && (Ipv4.flagsAndFragment(b, ipOff) & 0x3FFF) == 0
                && Ipv4.totalLength(b, ipOff) - Ipv4.headerLength(b, ipOff) >= HEADER;
    }

    /**
     * Whether {@code b} holds at {@code ipOff} an IPv4 packet of protocol ICMP as {@link #isValidIpv4}
     * says, or an IPv6 packet ({@link Ipv6#isValidHeader}) whose next header is ICMPv6 and carries at
     * least a whole ICMPv6 header.
     */
    public static boolean isValid(ByteBuffer b, int ipOff) {
        if (ipOff < 0 || ipOff >= b.limit() || Ip.version(b, ipOff) != 6) {
            return isValidIpv4(b, ipOff);
        }
        return Ipv6.isValidHeader(b, ipOff) && Ipv6.nextHeader(b, ipOff) == Ipv6.ICMPV6 && Ipv6.payloadLength(b, ipOff) >= HEADER;
    }

    /**
     * Whether the ICMP or ICMPv6 checksum of the packet at {@code ipOff} (checked with
     * {@link #isValid}) is right: over the message, and for ICMPv6 the pseudo-header too.
     */
    public static boolean verifyPacketChecksum(ByteBuffer b, int ipOff) {
        if (Ip.version(b, ipOff) == 6) {
            return Checksum.transport(b, ipOff) == 0;
        }
        int ihl = Ipv4.headerLength(b, ipOff);
        return verifyChecksum(b, ipOff + ihl, Ipv4.totalLength(b, ipOff) - ihl);
    }

    /**
     * Writes the IP header of {@code source}'s family (IPv4: DF set, TTL 64, protocol ICMP; IPv6: hop
     * limit 64, next header ICMPv6) and an echo header of the family's request or reply type, for
     * data the caller writes next at the returned offset; {@link #finishEcho} completes it.
     *
     * @param identification the IPv4 identification field; for IPv6 the flow label
     * @param request an echo request (else a reply)
     * @return the absolute offset where the data goes
     */
    public static int beginEcho(ByteBuffer b, int off, IpAddress source, IpAddress destination, int identification,
            boolean request, int identifier, int sequence) {
        int version = source.version();
        int i = Ip.writeHeader(b, off, source, destination, version == 6 ? Ipv6.ICMPV6 : 1, identification);
        return writeEchoHeader(b, i, request ? echoRequest(version) : echoReply(version), identifier, sequence);
    }

    /**
     * Builds a whole echo request or reply of {@code source}'s family at {@code off}, the data copied
     * from {@code data}'s position to its limit (its position is left alone).
     *
     * @return the packet's total length in bytes
     */
    public static int writeEcho(ByteBuffer b, int off, IpAddress source, IpAddress destination, int identification,
            boolean request, int identifier, int sequence, ByteBuffer data) {
        int d = beginEcho(b, off, source, destination, identification, request, identifier, sequence);
        int n = data.remaining();
        b.put(d, data, data.position(), n);
        return finishEcho(b, off, n);
    }

    private static int writeEchoHeader(ByteBuffer b, int i, int type, int identifier, int sequence) {
        setType(b, i, type);
        setCode(b, i, 0);
        setChecksum(b, i, 0);
        setIdentifier(b, i, identifier);
        setSequence(b, i, sequence);
        return i + HEADER;
    }

    /**
     * Writes the IPv4 header (20 bytes, DF set, TTL {@value #TTL}, protocol ICMP) and the echo header
     * of a packet whose data the caller writes next, at the returned offset; {@link #finishEcho}
     * completes it.
     *
     * @param source source address, big-endian int
     * @param destination destination address, big-endian int
     * @param type {@link #ECHO_REQUEST} or {@link #ECHO_REPLY}
     * @return the absolute offset where the data goes
     */
    public static int beginEcho(ByteBuffer b, int off, int source, int destination, int identification, int type,
            int identifier, int sequence) {
        Ipv4.writeHeader(b, off, source, destination, 1, identification);
        return writeEchoHeader(b, off + Ipv4.MIN_HEADER, type, identifier, sequence);
    }

    /**
     * Completes the echo packet at {@code off} begun with a {@code beginEcho}, whose
     * {@code dataLength} bytes of data follow the echo header: the IP length (IPv4: and header
     * checksum), and the ICMP checksum (ICMPv6: over the pseudo-header too).
     *
     * @return the packet's total length in bytes
     */
    public static int finishEcho(ByteBuffer b, int off, int dataLength) {
        int i = off + Ip.headerLength(b, off);
        int total = Ip.finish(b, off, HEADER + dataLength);
        if (Ip.version(b, off) == 6) {
            setChecksum(b, i, 0);
            setChecksum(b, i, Checksum.transport(b, off));
        } else {
            fillChecksum(b, i, HEADER + dataLength);
        }
        return total;
    }

    /**
     * Builds a whole echo request or reply at {@code off}, the data copied from {@code data}'s position
     * to its limit (its position is left alone).
     *
     * @return the packet's total length in bytes
     */
    public static int writeEcho(ByteBuffer b, int off, int source, int destination, int identification, int type,
            int identifier, int sequence, ByteBuffer data) {
        int d = beginEcho(b, off, source, destination, identification, type, identifier, sequence);
        int n = data.remaining();
        b.put(d, data, data.position(), n);
        return finishEcho(b, off, n);
    }
}
