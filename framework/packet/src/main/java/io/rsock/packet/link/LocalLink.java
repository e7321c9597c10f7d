package io.rsock.packet.link;

import io.rsock.packet.device.Device;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * This end of the link, as every OS reports it through {@link NetworkInterface}: our MAC and the
 * subnet of our address, which tells a destination on the link (its own MAC is the next hop) from
 * one beyond a router. IPv4 addresses are big-endian ints here and in the rest of this package.
 *
 * @param mac our MAC ({@link MacAddress}), {@link MacAddress#NONE} when the OS does not say
 * @param address our IPv4 address on the device
 * @param prefixLength the length of its subnet's prefix, 0 to 32 (32: nothing else is on the link)
 */
public record LocalLink(long mac, int address, int prefixLength) {
    /** Reads the device's MAC and subnet; a device the OS cannot describe gets no MAC and a /32. */
    public static LocalLink of(Device device) {
        int address = toInt(device.address().getAddress());
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(device.address());
            if (nif == null) {
                return new LocalLink(MacAddress.NONE, address, 32);
            }
            int prefix = 32;
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (device.address().equals(a.getAddress())) {
                    prefix = a.getNetworkPrefixLength();
                }
            }
            return new LocalLink(MacAddress.of(nif.getHardwareAddress()), address, Math.max(0, Math.min(32, prefix)));
        } catch (SocketException e) {
            return new LocalLink(MacAddress.NONE, address, 32);
        }
    }

    /** Whether {@code destination} is on our subnet: frames to it go to its own MAC. */
    public boolean onLink(int destination) {
        if (prefixLength == 0) {
            return true;
        }
        int mask = -1 << (32 - prefixLength);
        return (destination & mask) == (address & mask);
    }

    /** {@code this} with our MAC as a frame of ours showed it (Windows may not report it through NetworkInterface). */
    public LocalLink withMac(long seen) {
        return seen == MacAddress.NONE || seen == mac ? this : new LocalLink(seen, address, prefixLength);
    }

    static int toInt(byte[] ipv4) {
        return ByteBuffer.wrap(ipv4).getInt();
    }

    /** a.b.c.d. */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
