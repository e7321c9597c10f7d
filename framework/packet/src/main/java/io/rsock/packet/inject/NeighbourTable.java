package io.rsock.packet.inject;

import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's IPv4 neighbour (ARP) cache as {@code /proc/net/arp} shows it: what the pcap L2
 * injector needs to address Ethernet frames, since it bypasses the kernel's own resolution.
 */
@LinuxOnly
public final class NeighbourTable {
    public static final Path PROC_NET_ARP = Path.of("/proc/net/arp");
    private static final int ATF_COM = 0x2; // entry complete

    private final Map<String, byte[]> macByDeviceAndAddress;

    private NeighbourTable(Map<String, byte[]> macByDeviceAndAddress) {
        this.macByDeviceAndAddress = macByDeviceAndAddress;
    }

    /** Reads {@code /proc/net/arp}; an empty table where it does not exist. */
    public static NeighbourTable readLinux() {
        try {
            return parse(Files.isReadable(PROC_NET_ARP) ? Files.readString(PROC_NET_ARP) : "");
        } catch (IOException e) {
            return parse("");
        }
    }

    /** Parses the text of {@code /proc/net/arp}; incomplete entries and odd lines are skipped. */
    public static NeighbourTable parse(String text) {
        Map<String, byte[]> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[0].equals("IP")) {
                continue;
            }
            try {
                int flags = Integer.decode(f[2]);
                byte[] mac = mac(f[3]);
                if ((flags & ATF_COM) != 0 && mac != null) {
                    out.put(f[5] + "/" + f[0], mac);
                }
            } catch (NumberFormatException e) {
                // not an entry: skip it
            }
        }
        return new NeighbourTable(out);
    }

    /** The MAC address of {@code address} (dotted quad) on {@code device}. */
    public Optional<byte[]> lookup(String device, String address) {
        byte[] mac = macByDeviceAndAddress.get(device + "/" + address);
        return mac == null ? Optional.empty() : Optional.of(mac.clone());
    }

    private static byte[] mac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            return null;
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }
}
