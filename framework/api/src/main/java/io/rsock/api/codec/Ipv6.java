package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * IPv6 header fields (RFC 8200) read and written in place at an absolute offset, like {@link Ipv4}:
 * no allocation, the buffer's position untouched. What differs from IPv4 for a transport: the
 * header is always 40 bytes, its length field counts only what follows it, there is no header
 * checksum and no identification, and routers never fragment (a packet too big for a link is
 * dropped and answered with ICMPv6 Packet Too Big). Extension headers are not walked: the packets
 * rsock sends and expects carry none, so a packet whose next header is not the transport's is not
 * one of its flows.
 */
public final class Ipv6 {
    /** Header length: fixed. */
    public static final int HEADER = 40;
    /** The smallest MTU an IPv6 link may have (RFC 8200 5): what every path carries. */
    public static final int MIN_MTU = 1280;
    /** Next header: fragment (the only extension header this package names: a fragment is never a flow's). */
    public static final int FRAGMENT = 44;
    /** Next header: ICMPv6. */
    public static final int ICMPV6 = 58;
    /** The hop limit of every packet built, Linux's default. */
    public static final int HOP_LIMIT = 64;

    private Ipv6() {
    }

    /** Traffic class and flow label are left as 0 and {@code flowLabel}: version 6 in the top nibble. */
    public static int flowLabel(ByteBuffer b, int off) {
        return b.getInt(off) & 0xF_FFFF;
    }

    /** Bytes after the 40-byte header. */
    public static int payloadLength(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    /** The protocol of what follows the header (6 TCP, 17 UDP, 58 ICMPv6, or an extension header). */
    public static int nextHeader(ByteBuffer b, int off) {
        return b.get(off + 6) & 0xFF;
    }

    public static int hopLimit(ByteBuffer b, int off) {
        return b.get(off + 7) & 0xFF;
    }

    /**
     * Whether {@code b} holds, from {@code off} to its limit, a plausible IPv6 header: version 6, the
     * whole payload its length announces within the buffer, and a source that is not IPv4-mapped
     * (never seen on a wire: RFC 4291 2.5.5.2; refused so that it can never pose as an IPv4 peer in
     * a flow table keyed by {@link IpAddress}). Hostile input is checked with this before any other
     * accessor is trusted.
     */
    public static boolean isValidHeader(ByteBuffer b, int off) {
        int avail = b.limit() - off;
        if (avail < HEADER || (b.get(off) & 0xF0) != 0x60) {
            return false;
        }
        return HEADER + payloadLength(b, off) <= avail && !IpAddress.isMapped(b.getLong(off + 8), b.getLong(off + 16));
    }

    /**
     * Writes a 40-byte header at {@code off}: version 6, traffic class 0, {@code flowLabel},
     * hop limit {@value #HOP_LIMIT}; the payload length is left for {@link #setPayloadLength}.
     */
    public static void writeHeader(ByteBuffer b, int off, IpAddress source, IpAddress destination, int nextHeader, int flowLabel) {
        b.putInt(off, 0x6000_0000 | flowLabel & 0xF_FFFF);
        b.putShort(off + 4, (short) 0);
        b.put(off + 6, (byte) nextHeader);
        b.put(off + 7, (byte) HOP_LIMIT);
        source.write(b, off + 8);
        destination.write(b, off + 24);
    }

    public static void setPayloadLength(ByteBuffer b, int off, int length) {
        b.putShort(off + 4, (short) length);
    }
}
