package io.rsock.api.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv4 or IPv6 address as two {@code long}s, for the packet path: made once per conn, then
 * written into packets, compared with packets' addresses and summed into checksums without any
 * allocation. An IPv4 address is held in its IPv4-mapped form ({@code ::ffff:a.b.c.d}), so that
 * the {@link #high}/{@link #low} pair of either family is one flow-table key
 * ({@link io.rsock.api.util.FlowMap}); {@link #sourceHigh}/{@link #sourceLow} read that pair
 * straight from a packet. An IPv6 packet whose source is itself IPv4-mapped is not a real one
 * (RFC 4291 2.5.5.2): {@link Ip#isValidHeader} refuses it, so the two families never share a key.
 */
public final class IpAddress {
    /** The high word of every IPv4-mapped address. */
    private static final long MAPPED_HIGH = 0;
    /** The upper half of the low word of an IPv4-mapped address: {@code 0000:ffff}. */
    private static final long MAPPED_LOW = 0x0000_FFFF_0000_0000L;

    private final long high;
    private final long low;
    private final boolean v6;

    private IpAddress(long high, long low, boolean v6) {
        this.high = high;
        this.low = low;
        this.v6 = v6;
    }

    /** The IPv4 address of a big-endian int ({@link Ipv4#source}'s form). */
    public static IpAddress v4(int address) {
        return new IpAddress(MAPPED_HIGH, v4Low(address), false);
    }

    /** {@link #low()} of the IPv4 address {@code address} ({@link #high()} is 0), computed without allocating. */
    public static long v4Low(int address) {
        return MAPPED_LOW | (address & 0xFFFF_FFFFL);
    }

    /** The IPv6 address whose 16 bytes are {@code high} then {@code low}, big-endian. */
    public static IpAddress v6(long high, long low) {
        return new IpAddress(high, low, true);
    }

    /** {@code address} of either family; an IPv4-mapped IPv6 address (Java makes those Inet4Address anyway) is IPv4. */
    public static IpAddress of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return v4(ByteBuffer.wrap(b).getInt());
        }
        ByteBuffer w = ByteBuffer.wrap(b);
        long high = w.getLong(0);
        long low = w.getLong(8);
        return isMapped(high, low) ? new IpAddress(high, low, false) : v6(high, low);
    }

    /** The source address of the IPv4 or IPv6 packet at {@code ipOff} (header checked by {@link Ip#isValidHeader}). Allocates. */
    public static IpAddress source(ByteBuffer b, int ipOff) {
        return Ip.version(b, ipOff) == 6 ? v6(b.getLong(ipOff + 8), b.getLong(ipOff + 16)) : v4(Ipv4.source(b, ipOff));
    }

    /** The destination address of the packet at {@code ipOff}. Allocates. */
    public static IpAddress destination(ByteBuffer b, int ipOff) {
        return Ip.version(b, ipOff) == 6 ? v6(b.getLong(ipOff + 24), b.getLong(ipOff + 32)) : v4(Ipv4.destination(b, ipOff));
    }

    /** {@link #high} of the source of the packet at {@code ipOff}, read without allocating. */
    public static long sourceHigh(ByteBuffer b, int ipOff) {
        return Ip.version(b, ipOff) == 6 ? b.getLong(ipOff + 8) : MAPPED_HIGH;
    }

    /** {@link #low} of the source of the packet at {@code ipOff}, read without allocating. */
    public static long sourceLow(ByteBuffer b, int ipOff) {
        return Ip.version(b, ipOff) == 6 ? b.getLong(ipOff + 16) : v4Low(Ipv4.source(b, ipOff));
    }

    /**
     * Whether {@link #high}/{@link #low} words read from a packet ({@link #sourceHigh}, {@link #sourceLow})
     * are an IPv4 address's: an IPv6 packet never has an IPv4-mapped source ({@link Ip#isValidHeader}).
     */
    public static boolean isV4(long high, long low) {
        return isMapped(high, low);
    }

    /** Whether the 16 bytes are an IPv4-mapped address. */
    static boolean isMapped(long high, long low) {
        return high == MAPPED_HIGH && (low & 0xFFFF_FFFF_0000_0000L) == MAPPED_LOW;
    }

    /** Whether this is an IPv6 address (else IPv4). */
    public boolean isV6() {
        return v6;
    }

    /** 4 or 6. */
    public int version() {
        return v6 ? 6 : 4;
    }

    /** Bytes of the address in a header: 4 or 16. */
    public int length() {
        return v6 ? 16 : 4;
    }

    /** The IPv4 address as a big-endian int; meaningless for IPv6. */
    public int v4() {
        return (int) low;
    }

    /** The first 8 bytes of the 16, big-endian (0 for IPv4). */
    public long high() {
        return high;
    }

    /** The last 8 bytes of the 16, big-endian ({@code 0000:ffff:a.b.c.d} for IPv4). */
    public long low() {
        return low;
    }

    /** Whether this is the source of the packet at {@code ipOff}: the same family and address. */
    public boolean isSourceOf(ByteBuffer b, int ipOff) {
        return v6 ? Ip.version(b, ipOff) == 6 && b.getLong(ipOff + 8) == high && b.getLong(ipOff + 16) == low
                : Ip.version(b, ipOff) == 4 && Ipv4.source(b, ipOff) == (int) low;
    }

    /** Writes the 4 or 16 bytes at {@code at} (absolute). */
    public void write(ByteBuffer b, int at) {
        if (v6) {
            b.putLong(at, high).putLong(at + 8, low);
        } else {
            b.putInt(at, (int) low);
        }
    }

    /** The address's part of a pseudo-header checksum: its 16-bit words summed, folded, not inverted. */
    public int checksumPart() {
        long acc = v6 ? words(high) + words(low) : words(low & 0xFFFF_FFFFL);
        return Checksum.fold(acc);
    }

    private static long words(long x) {
        return (x >>> 48) + (x >>> 32 & 0xFFFF) + (x >>> 16 & 0xFFFF) + (x & 0xFFFF);
    }

    /** As a {@link InetAddress}: an {@link Inet4Address} or an {@link Inet6Address}. */
    public InetAddress toInetAddress() {
        byte[] b = new byte[length()];
        write(ByteBuffer.wrap(b), 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes are always an address
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.high == high && a.low == low && a.v6 == v6;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) ^ (v6 ? 1 : 0);
    }

    /** {@code 10.0.0.1} or {@code fd00::1}. */
    @Override
    public String toString() {
        return toInetAddress().getHostAddress();
    }
}
