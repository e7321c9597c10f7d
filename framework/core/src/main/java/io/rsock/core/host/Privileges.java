package io.rsock.core.host;

import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a raw-packet transport needs from the kernel, checked before the packet layer opens so that a
 * run without it fails with one line that says what is missing and how to grant it, instead of a
 * libpcap or socket error: {@code CAP_NET_RAW} to capture and inject, and {@code CAP_NET_ADMIN} to
 * install the firewall rules (not needed with {@code --no-rules}). Read from the effective set of
 * {@code /proc/self/status}; root has both. Off Linux the check is left to the system calls.
 */
@LinuxOnly
public final class Privileges {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;

    private Privileges() {
    }

    /** The missing-privilege line, or null when this process has what raw packets need (or it cannot tell). */
    public static String missingForRawPackets(boolean rules) {
        return missing(effectiveCapabilities(Path.of("/proc/self/status")), rules);
    }

    /** The line for an effective capability set {@code capEff} (null: unknown, nothing reported). */
    static String missing(Long capEff, boolean rules) {
        if (capEff == null) {
            return null;
        }
        List<String> lack = new ArrayList<>();
        if ((capEff & (1L << CAP_NET_RAW)) == 0) {
            lack.add("CAP_NET_RAW");
        }
        if (rules && (capEff & (1L << CAP_NET_ADMIN)) == 0) {
            lack.add("CAP_NET_ADMIN");
        }
        if (lack.isEmpty()) {
            return null;
        }
        return "raw packets need " + String.join(" and ", lack) + (rules ? "" : " (--no-rules given)")
                + ", which this process lacks: run as root, or grant cap_net_raw,cap_net_admin (README: Without root), "
                + "or use --type udp";
    }

    /** CapEff of a /proc status file, or null when there is none (not Linux). */
    static Long effectiveCapabilities(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
