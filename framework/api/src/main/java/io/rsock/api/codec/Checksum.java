package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * The internet checksum (RFC 1071) over buffer ranges, in place and without allocation, plus the
 * IPv4 and IPv6 pseudo-headers that TCP, UDP and ICMPv6 checksums cover (RFC 793, RFC 768, RFC 8200
 * 8.1) and the incremental update
 * of RFC 1624 (for rewriting one field of a packet without summing it again).
 *
 * <p>Sums are kept "partial": a one's-complement sum folded to 16 bits and not yet inverted, so
 * they can be chained: {@code finish(sum(b, o2, n2, sum(b, o1, n1, 0)))}. Buffers are read big-endian
 * with absolute gets; their position, limit and byte order are left alone (the order must be the
 * default big-endian, as for every codec of this package).
 */
public final class Checksum {
    private Checksum() {
    }

    /**
     * Adds the bytes {@code [off, off + len)} of {@code b}, as big-endian 16-bit words (an odd last
     * byte padded with zero), to the partial sum {@code initial}.
     *
     * @return the new partial sum, folded to 16 bits, not inverted
     */
    public static int sum(ByteBuffer b, int off, int len, int initial) {
        long acc = initial & 0xFFFFFFFFL;
        int i = off;
        int end = off + len;
        // Eight bytes at a time: four 16-bit words summed as two 32-bit halves; carries fold below.
        while (end - i >= 8) {
            long v = b.getLong(i);
            acc += (v >>> 32) + (v & 0xFFFFFFFFL);
            i += 8;
        }
        while (end - i >= 2) {
            acc += b.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            acc += (b.get(i) & 0xFF) << 8;
        }
        return fold(acc);
    }

    /** Folds a wide one's-complement accumulator to 16 bits (end-around carry). */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The checksum field value for a partial sum: its one's complement, 16 bits. */
    public static int finish(int partial) {
        return ~fold(partial & 0xFFFFFFFFL) & 0xFFFF;
    }

    /** The internet checksum of {@code [off, off + len)}: {@code finish(sum(b, off, len, 0))}. */
    public static int compute(ByteBuffer b, int off, int len) {
        return finish(sum(b, off, len, 0));
    }

    /**
     * The partial sum of the IPv4 pseudo-header: source, destination, zero, protocol, and the
     * transport length (header plus payload) in bytes.
     */
    public static int pseudoHeaderIpv4(int source, int destination, int protocol, int transportLength) {
        long acc = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + protocol + transportLength;
        return fold(acc);
    }

    /**
     * The TCP or UDP checksum of the IPv4 packet at {@code ipOff}: over the pseudo-header and the
     * transport header and payload as they stand (zero the checksum field first when computing one to
     * store). The packet's header length and total length must already be right.
     */
    public static int transportIpv4(ByteBuffer b, int ipOff) {
        return transport(b, ipOff);
    }

    /**
     * The partial sum of the IPv6 pseudo-header of the packet at {@code ipOff}: its source and
     * destination as they stand in the header, the upper-layer length (32 bits) and the next header.
     */
    public static int pseudoHeaderIpv6(ByteBuffer b, int ipOff, int protocol, int transportLength) {
        return sum(b, ipOff + 8, 32, fold((long) protocol + (transportLength >>> 16) + (transportLength & 0xFFFF)));
    }

    /**
     * The pseudo-header's partial sum of the IPv4 or IPv6 packet at {@code ipOff}, for its transport
     * of {@code protocol} and {@code transportLength} bytes.
     */
    public static int pseudoHeader(ByteBuffer b, int ipOff, int protocol, int transportLength) {
        return Ip.version(b, ipOff) == 6 ? pseudoHeaderIpv6(b, ipOff, protocol, transportLength)
                : pseudoHeaderIpv4(Ipv4.source(b, ipOff), Ipv4.destination(b, ipOff), protocol, transportLength);
    }

    /**
     * The TCP, UDP or ICMPv6 checksum of the IPv4 or IPv6 packet at {@code ipOff} (see
     * {@link #transportIpv4}); 0 when the field as it stands is right. ICMPv4 has no pseudo-header:
     * use {@link #compute} for it.
     */
    public static int transport(ByteBuffer b, int ipOff) {
        int hl = Ip.headerLength(b, ipOff);
        int len = Ip.totalLength(b, ipOff) - hl;
        return finish(sum(b, ipOff + hl, len, pseudoHeader(b, ipOff, Ip.protocol(b, ipOff), len)));
    }

    /**
     * Whether the TCP or UDP checksum of the IPv4 packet at {@code ipOff} is right: the sum over the
     * pseudo-header and the segment, checksum field included, is 0xFFFF. A UDP checksum of zero
     * ("none sent") is not accepted here; callers that allow it check for it first.
     */
    public static boolean verifyTransportIpv4(ByteBuffer b, int ipOff) {
        return transportIpv4(b, ipOff) == 0;
    }

    /** Whether the IPv4 header checksum of the packet at {@code ipOff} is right. */
    public static boolean verifyIpv4Header(ByteBuffer b, int ipOff) {
        return compute(b, ipOff, Ipv4.headerLength(b, ipOff)) == 0;
    }

    /**
     * RFC 1624 incremental update: the new checksum field when one 16-bit word covered by
     * {@code checksum} changes from {@code oldWord} to {@code newWord} (HC' = ~(~HC + ~m + m')).
     */
    public static int adjust(int checksum, int oldWord, int newWord) {
        long acc = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(acc) & 0xFFFF;
    }

    /** {@link #adjust} for a 32-bit field (an address, a sequence number) changing from {@code oldValue} to {@code newValue}. */
    public static int adjust32(int checksum, int oldValue, int newValue) {
        return adjust(adjust(checksum, oldValue >>> 16, newValue >>> 16), oldValue & 0xFFFF, newValue & 0xFFFF);
    }
}
