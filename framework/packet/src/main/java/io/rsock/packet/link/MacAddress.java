package io.rsock.packet.link;

import java.nio.ByteBuffer;

/**
 * Ethernet addresses as the low 48 bits of a {@code long}, so that the send path can keep and
 * compare them without arrays; {@link #NONE} (-1) where there is none.
 */
public final class MacAddress {
    /** No address known. */
    public static final long NONE = -1;
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private MacAddress() {
    }

    /** The six bytes at {@code at} (absolute; the buffer's position is untouched). */
    public static long read(ByteBuffer b, int at) {
        return (b.getShort(at) & 0xFFFFL) << 32 | b.getInt(at + 2) & 0xFFFF_FFFFL;
    }

    /** Writes {@code mac} as six bytes at {@code at} (absolute). */
    public static void write(ByteBuffer b, int at, long mac) {
        b.putShort(at, (short) (mac >>> 32)).putInt(at + 2, (int) mac);
    }

    /** Six bytes, or {@link #NONE} when {@code bytes} is not a 6-byte address. */
    public static long of(byte[] bytes) {
        if (bytes == null || bytes.length != 6) {
            return NONE;
        }
        return read(ByteBuffer.wrap(bytes), 0);
    }

    /** {@code 02:00:5e:10:00:01}, or {@code "none"}. */
    public static String format(long mac) {
        if (mac == NONE) {
            return "none";
        }
        StringBuilder b = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            b.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
