package io.rsock.api.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * IPv4 header fields read and written in place, at an absolute offset of a buffer: no allocation,
 * no change to the buffer's position, so the hot path can parse and build packets in reused buffers.
 */
public final class Ipv4 {
    /** Header length without options. */
    public static final int MIN_HEADER = 20;
    /** The don't-fragment bit of {@link #flagsAndFragment}. */
    public static final int DONT_FRAGMENT = 0x4000;

    private Ipv4() {
    }

    public static int version(ByteBuffer b, int off) {
        return (b.get(off) & 0xFF) >>> 4;
    }

    /** Header length in bytes (IHL * 4). */
    public static int headerLength(ByteBuffer b, int off) {
        return (b.get(off) & 0x0F) * 4;
    }

    public static int totalLength(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    public static int identification(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    /** Flags and fragment offset word; {@code & 0x3FFF != 0} means this is a fragment. */
    public static int flagsAndFragment(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xFFFF;
    }

    public static int ttl(ByteBuffer b, int off) {
        return b.get(off + 8) & 0xFF;
    }

    public static int protocol(ByteBuffer b, int off) {
        return b.get(off + 9) & 0xFF;
    }

    /** The header checksum field. */
    public static int headerChecksum(ByteBuffer b, int off) {
        return b.getShort(off + 10) & 0xFFFF;
    }

    /** Computes and stores the header checksum of the header at {@code off} (its length must be set). */
    public static void fillHeaderChecksum(ByteBuffer b, int off) {
        b.putShort(off + 10, (short) 0);
        b.putShort(off + 10, (short) Checksum.compute(b, off, headerLength(b, off)));
    }

    /**
     * Writes a 20-byte header at {@code off}: version 4, DF set, TTL 64, the given protocol and
     * identification; the total length and the checksum are left for the caller to fill.
     *
     * @param source source address, big-endian int
     * @param destination destination address, big-endian int
     */
    public static void writeHeader(ByteBuffer b, int off, int source, int destination, int protocol, int identification) {
        b.put(off, (byte) 0x45);
        b.put(off + 1, (byte) 0);
        b.putShort(off + 2, (short) 0);
        b.putShort(off + 4, (short) identification);
        b.putShort(off + 6, (short) DONT_FRAGMENT);
        b.put(off + 8, (byte) Ipv4TcpWriter.TTL);
        b.put(off + 9, (byte) protocol);
        b.putShort(off + 10, (short) 0);
        b.putInt(off + 12, source);
        b.putInt(off + 16, destination);
    }

    /** Source address as a big-endian int (a.b.c.d = a<<24 | b<<16 | c<<8 | d). */
    public static int source(ByteBuffer b, int off) {
        return b.getInt(off + 12);
    }

    /** Destination address as a big-endian int. */
    public static int destination(ByteBuffer b, int off) {
        return b.getInt(off + 16);
    }

    /**
     * Whether {@code b} holds, from {@code off} to its limit, a plausible unfragmented IPv4 header:
     * version 4, IHL at least 5, total length within the buffer. Hostile input is checked with this
     * before any other accessor is trusted.
     */
    public static boolean isValidHeader(ByteBuffer b, int off) {
        int avail = b.limit() - off;
        if (avail < MIN_HEADER || version(b, off) != 4) {
            return false;
        }
        int ihl = headerLength(b, off);
        int total = totalLength(b, off);
        return ihl >= MIN_HEADER && total >= ihl && total <= avail;
    }

    /** What a captured packet is, before a transport reads its own header in it ({@link #check}, {@link Ip#check}). */
    public enum Captured {
        /** A whole, unfragmented packet (IPv4 here, either family for {@link Ip#check}) of the protocol asked for. */
        WHOLE,
        /** Not that: too short for its header or its total length, another version or protocol. */
        NOT_WHOLE,
        /** A fragment: the transports never send any, so it is not theirs. */
        FRAGMENT
    }

    /** Checks the captured packet at {@code off} is a whole, unfragmented IPv4 packet of {@code protocol}. */
    public static Captured check(ByteBuffer b, int off, int protocol) {
        if (!isValidHeader(b, off) || protocol(b, off) != protocol) {
            return Captured.NOT_WHOLE;
        }
        return (flagsAndFragment(b, off) & 0x3FFF) != 0 ? Captured.FRAGMENT : Captured.WHOLE;
    }

    /** {@code address} as the big-endian int the accessors here use. */
    public static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** The address of a big-endian int as the accessors here return it. */
    public static Inet4Address toAddress(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (address >>> 24),
                (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }
}
