package io.rsock.packet.capture;

import java.nio.ByteBuffer;

/**
 * Where the IP header (IPv4 or IPv6) starts in a captured frame, for each datalink we support.
 * Reads only within the frame's limit: a short or foreign frame yields {@link #NOT_IP}, never an
 * exception.
 */
public final class LinkLayer {
    /** Result of {@link #ipOffset} for frames that carry no IP packet. */
    public static final int NOT_IP = -1;

    public static final int DLT_NULL = 0;
    public static final int DLT_EN10MB = 1;
    public static final int DLT_RAW = 12;
    public static final int DLT_RAW_BSD = 14;
    public static final int LINKTYPE_RAW = 101;
    public static final int DLT_LOOP = 108;
    public static final int DLT_LINUX_SLL = 113;
    public static final int DLT_IPV4 = 228;
    public static final int DLT_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    /** Type fields up to this are 802.3 lengths, not EtherTypes. */
    private static final int MAX_8023_LENGTH = 1500;
    private static final int AF_INET = 2;
    /**
     * AF_INET6 as each system numbers it in a loopback (NULL, LOOP) header: Linux 10, Windows
     * (Npcap's loopback) 23, OpenBSD and NetBSD 24, FreeBSD 28, macOS 30.
     */
    private static final int[] AF_INET6 = {10, 23, 24, 28, 30};

    private LinkLayer() {
    }

    public static boolean isSupported(int dlt) {
        return switch (dlt) {
            case DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_RAW_BSD, LINKTYPE_RAW, DLT_LOOP, DLT_LINUX_SLL, DLT_IPV4, DLT_LINUX_SLL2 -> true;
            default -> false;
        };
    }

    /** A readable name for logs and errors. */
    public static String name(int dlt) {
        return switch (dlt) {
            case DLT_NULL -> "NULL";
            case DLT_EN10MB -> "EN10MB";
            case DLT_RAW, DLT_RAW_BSD, LINKTYPE_RAW -> "RAW";
            case DLT_LOOP -> "LOOP";
            case DLT_LINUX_SLL -> "LINUX_SLL";
            case DLT_IPV4 -> "IPV4";
            case DLT_LINUX_SLL2 -> "LINUX_SLL2";
            default -> "DLT " + dlt;
        };
    }

    /**
     * Offset of the IPv4 or IPv6 header in {@code frame} (from index 0 to its limit), or
     * {@link #NOT_IP}.
     */
    public static int ipOffset(int dlt, ByteBuffer frame) {
        int len = frame.limit();
        switch (dlt) {
            case DLT_EN10MB:
                return ethernet(frame, len);
            case DLT_LINUX_SLL:
                return len >= 16 ? ipBehind(u16(frame, 14), 16) : NOT_IP;
            case DLT_LINUX_SLL2:
                return len >= 20 ? ipBehind(u16(frame, 0), 20) : NOT_IP;
            case DLT_RAW, DLT_RAW_BSD, LINKTYPE_RAW:
                return len >= 1 && isIpVersion(frame.get(0) & 0xF0) ? 0 : NOT_IP;
            case DLT_IPV4:
                return len >= 1 && (frame.get(0) & 0xF0) == 0x40 ? 0 : NOT_IP;
            case DLT_NULL:
                // The address family is in the capturing host's byte order; accept either.
                return len >= 4 && (family(frame.getInt(0)) || family(Integer.reverseBytes(frame.getInt(0)))) ? 4 : NOT_IP;
            case DLT_LOOP:
                return len >= 4 && family(frame.getInt(0)) ? 4 : NOT_IP;
            default:
                return NOT_IP;
        }
    }

    /** Whether {@code af} is a loopback header's AF_INET or one of the systems' AF_INET6. */
    private static boolean family(int af) {
        if (af == AF_INET) {
            return true;
        }
        for (int v6 : AF_INET6) {
            if (af == v6) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIpVersion(int nibble) {
        return nibble == 0x40 || nibble == 0x60;
    }

    /** {@code at} when {@code ethertype} is IPv4's or IPv6's (the header there is the demultiplexer's to check). */
    private static int ipBehind(int ethertype, int at) {
        return ethertype == ETHERTYPE_IPV4 || ethertype == ETHERTYPE_IPV6 ? at : NOT_IP;
    }

    private static int ethernet(ByteBuffer frame, int len) {
        int typeAt = 12;
        // One VLAN tag (802.1Q) or two (802.1ad QinQ) before the real EtherType.
        for (int tags = 0; tags <= 2; tags++) {
            if (len < typeAt + 2) {
                return NOT_IP;
            }
            int type = u16(frame, typeAt);
            if (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) {
                return ipBehind(type, typeAt + 2);
            }
            if (type <= MAX_8023_LENGTH) {
                return snap(frame, len, typeAt + 2);
            }
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ) {
                return NOT_IP;
            }
            typeAt += 4;
        }
        return NOT_IP;
    }

    /**
     * An 802.3 length instead of an EtherType: IP only in an LLC/SNAP header (AA AA 03, OUI 0,
     * type 0x0800 or 0x86DD), the encapsulation 802.11 itself uses, which some Wi-Fi drivers hand to
     * the capture as it is instead of rewriting it to Ethernet II.
     */
    private static int snap(ByteBuffer frame, int len, int llc) {
        if (len < llc + 8 || u16(frame, llc) != 0xAAAA || frame.get(llc + 2) != 0x03 || u16(frame, llc + 3) != 0
                || frame.get(llc + 5) != 0) {
            return NOT_IP;
        }
        return ipBehind(u16(frame, llc + 6), llc + 8);
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }
}
