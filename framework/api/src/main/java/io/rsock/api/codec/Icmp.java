package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * ICMP header fields (RFC 792) read and written in place at an absolute offset, like {@link Ipv4}:
 * no allocation, the buffer's position untouched; plus builders of whole IPv4 + ICMP echo packets
 * for a raw {@code IP_HDRINCL} socket.
 *
 * <p>An echo request or reply is 8 bytes of header (type, code, checksum, identifier, sequence
 * number) and the data, which the answering side echoes. The checksum covers the ICMP header and data
 * only: ICMP has no pseudo-header.
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
        b.put(off, (byte) 0x45);
        b.put(off + 1, (byte) 0);
        b.putShort(off + 2, (short) 0);
        b.putShort(off + 4, (short) identification);
        b.putShort(off + 6, (short) Ipv4.DONT_FRAGMENT);
        b.put(off + 8, (byte) TTL);
        b.put(off + 9, (byte) 1);
        b.putShort(off + 10, (short) 0);
        b.putInt(off + 12, source);
        b.putInt(off + 16, destination);
        int i = off + Ipv4.MIN_HEADER;
        setType(b, i, type);
        setCode(b, i, 0);
        setChecksum(b, i, 0);
        setIdentifier(b, i, identifier);
        setSequence(b, i, sequence);
        return i + HEADER;
    }

    /**
     * Completes the echo packet at {@code off} begun with {@link #beginEcho}, whose {@code dataLength}
     * bytes of data follow the echo header: total length, IPv4 header checksum, ICMP checksum.
     *
     * @return the packet's total length in bytes
     */
    public static int finishEcho(ByteBuffer b, int off, int dataLength) {
        int total = ECHO_HEADERS + dataLength;
        b.putShort(off + 2, (short) total);
        Ipv4.fillHeaderChecksum(b, off);
        fillChecksum(b, off + Ipv4.MIN_HEADER, HEADER + dataLength);
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
