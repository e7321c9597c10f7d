package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * The IP header of a packet of either family, read and written by its version nibble: what a
 * transport needs to find and bound its own header ({@link #headerLength}, {@link #totalLength},
 * {@link #protocol}) and to build a packet to an {@link IpAddress} of either family
 * ({@link #writeHeader}, {@link #finish}). In place and without allocation, like {@link Ipv4} and
 * {@link Ipv6}, which it delegates to.
 */
public final class Ip {
    private Ip() {
    }

    /** 4 or 6 (or anything else for junk: check {@link #isValidHeader} first). */
    public static int version(ByteBuffer b, int off) {
        return (b.get(off) & 0xFF) >>> 4;
    }

    /**
     * Whether {@code b} holds from {@code off} a plausible IPv4 ({@link Ipv4#isValidHeader}) or IPv6
     * ({@link Ipv6#isValidHeader}) header, the whole packet within the buffer.
     */
    public static boolean isValidHeader(ByteBuffer b, int off) {
        if (off < 0 || off >= b.limit()) {
            return false;
        }
        return version(b, off) == 6 ? Ipv6.isValidHeader(b, off) : Ipv4.isValidHeader(b, off);
    }

    /** Whether the packet is a fragment: IPv4 with more-fragments or an offset, IPv6 with a fragment header. */
    public static boolean isFragment(ByteBuffer b, int off) {
        return version(b, off) == 6 ? Ipv6.nextHeader(b, off) == Ipv6.FRAGMENT : (Ipv4.flagsAndFragment(b, off) & 0x3FFF) != 0;
    }

    /**
     * {@link Ipv4#check} for a packet of either family: an IPv6 one is whole when its header is
     * valid and its next header is {@code protocol} straight away (a fragment header makes it a
     * fragment; any other extension header, which the transports never send, makes it not theirs).
     */
    public static Ipv4.Captured check(ByteBuffer b, int off, int protocol) {
        return check(b, off, protocol, protocol);
    }

    /** {@link #check(ByteBuffer, int, int)} where the protocol number differs by family (ICMP 1, ICMPv6 58). */
    public static Ipv4.Captured check(ByteBuffer b, int off, int v4Protocol, int v6Protocol) {
        if (!isValidHeader(b, off)) {
            return Ipv4.Captured.NOT_WHOLE;
        }
        if (version(b, off) == 4) {
            return Ipv4.check(b, off, v4Protocol);
        }
        int next = Ipv6.nextHeader(b, off);
        return next == Ipv6.FRAGMENT ? Ipv4.Captured.FRAGMENT : next == v6Protocol ? Ipv4.Captured.WHOLE : Ipv4.Captured.NOT_WHOLE;
    }

    /** Header length in bytes: IHL * 4, or 40. */
    public static int headerLength(ByteBuffer b, int off) {
        return version(b, off) == 6 ? Ipv6.HEADER : Ipv4.headerLength(b, off);
    }

    /** The whole packet's length in bytes, header included. */
    public static int totalLength(ByteBuffer b, int off) {
        return version(b, off) == 6 ? Ipv6.HEADER + Ipv6.payloadLength(b, off) : Ipv4.totalLength(b, off);
    }

    /** Bytes after the IP header: the transport header and its payload. */
    public static int transportLength(ByteBuffer b, int off) {
        return totalLength(b, off) - headerLength(b, off);
    }

    /** The IPv4 protocol or IPv6 next header field. */
    public static int protocol(ByteBuffer b, int off) {
        return version(b, off) == 6 ? Ipv6.nextHeader(b, off) : Ipv4.protocol(b, off);
    }

    /** The header length of a packet from {@code source}: 20 (no options) or 40. */
    public static int headerLength(IpAddress source) {
        return source.isV6() ? Ipv6.HEADER : Ipv4.MIN_HEADER;
    }

    /**
     * Writes an IP header of {@code source}'s family at {@code off}: IPv4 with DF set and TTL 64,
     * or IPv6 with hop limit 64; the lengths and the IPv4 header checksum are left for {@link #finish}.
     *
     * @param identification the IPv4 identification field; for IPv6 the flow label (its low 20 bits)
     * @return the absolute offset where the transport header goes
     */
    public static int writeHeader(ByteBuffer b, int off, IpAddress source, IpAddress destination, int protocol,
            int identification) {
        if (source.isV6()) {
            Ipv6.writeHeader(b, off, source, destination, protocol, identification);
            return off + Ipv6.HEADER;
        }
        Ipv4.writeHeader(b, off, source.v4(), destination.v4(), protocol, identification);
        return off + Ipv4.MIN_HEADER;
    }

    /**
     * Sets the length of the packet at {@code off} whose transport part is {@code transportLength}
     * bytes, and for IPv4 the header checksum. The transport's own checksum is the caller's.
     *
     * @return the packet's total length
     */
    public static int finish(ByteBuffer b, int off, int transportLength) {
        if (version(b, off) == 6) {
            Ipv6.setPayloadLength(b, off, transportLength);
            return Ipv6.HEADER + transportLength;
        }
        int total = Ipv4.headerLength(b, off) + transportLength;
        b.putShort(off + 2, (short) total);
        Ipv4.fillHeaderChecksum(b, off);
        return total;
    }
}
