package io.rsock.packet.device;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import io.rsock.packet.LinuxOnly;
import io.rsock.packet.sys.LibC;
import java.nio.charset.StandardCharsets;

/**
 * Whether a device may hand the capture packets larger than its MTU: GRO or LRO merge the segments
 * of a TCP flow (fake TCP's included) into one packet of up to 64 KiB before the capture sees it.
 * The capture keeps whole packets, so this decides how large each slot of its ring must be.
 */
@LinuxOnly
public final class ReceiveOffloads {
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GFLAGS = 0x25;
    private static final int ETHTOOL_GGRO = 0x2b;
    private static final int ETH_FLAG_LRO = 1 << 15;
    private static final int IFNAMSIZ = 16;

    private ReceiveOffloads() {
    }

    /**
     * Asks the kernel (ethtool's ioctl) whether GRO or LRO is on for {@code device}. Answers
     * {@code true} whenever it cannot tell (not Linux, no such ioctl for the device): a roomy ring
     * costs memory, a cramped one would cut packets.
     */
    public static boolean mayMerge(String device) {
        if (!Platform.isLinux() || device.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
            return true;
        }
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (fd < 0) {
            return true;
        }
        try {
            int gro = query(fd, device, ETHTOOL_GGRO);
            int flags = query(fd, device, ETHTOOL_GFLAGS);
            return gro != 0 || flags < 0 || (flags & ETH_FLAG_LRO) != 0;
        } finally {
            LibC.close(fd);
        }
    }

    /** One ethtool "get value" command: its value, or -1 when the device does not answer it. */
    private static int query(int fd, String device, int command) {
        try (Memory value = new Memory(8); Memory ifreq = new Memory(IFNAMSIZ + 24)) {
            value.clear();
            value.setInt(0, command); // struct ethtool_value { u32 cmd; u32 data; }
            ifreq.clear();
            ifreq.write(0, device.getBytes(StandardCharsets.US_ASCII), 0, device.length());
            ifreq.setPointer(IFNAMSIZ, value); // struct ifreq: name, then the union's ifr_data
            return LibC.ioctl(fd, SIOCETHTOOL, ifreq) == 0 ? value.getInt(4) : -1;
        }
    }
}
