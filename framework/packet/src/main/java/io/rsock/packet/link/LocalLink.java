package io.rsock.packet.link;

import io.rsock.api.codec.IpAddress;
import io.rsock.packet.device.Device;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * This end of the link, as every OS reports it through {@link NetworkInterface}: our MAC and the
 * subnets of our addresses, which tell a destination on the link (its own MAC is the next hop) from
 * one beyond a router. IPv4 addresses are big-endian ints here and in the rest of this package;
 * IPv6 ones {@link IpAddress}'s two words.
 *
 * @param mac our MAC ({@link MacAddress}), {@link MacAddress#NONE} when the OS does not say
 * @param address our IPv4 address on the device, 0 when it has none
 * @param prefixLength the length of its subnet's prefix, 0 to 32 (32: nothing else is on the link)
 * @param address6 our first IPv6 address on the device, or null
 * @param prefixLength6 the length of its prefix, 0 to 128 (128: nothing else is on the link)
 */
public record LocalLink(long mac, int address, int prefixLength, IpAddress address6, int prefixLength6) {
    /** An IPv4-only link. */
    public LocalLink(long mac, int address, int prefixLength) {
        this(mac, address, prefixLength, null, 128);
    }

    /** Reads the device's MAC and subnets; a device the OS cannot describe gets no MAC and host prefixes. */
    public static LocalLink of(Device device) {
        int address = device.address() == null ? 0 : toInt(device.address().getAddress());
        InetAddress v6 = device.addresses6().isEmpty() ? null : device.addresses6().get(0);
        IpAddress address6 = v6 == null ? null : IpAddress.of(v6);
        try {
            NetworkInterface nif = NetworkInterface.getByName(device.name());
            if (nif == null) {
                nif = NetworkInterface.getByInetAddress(device.address() != null ? device.address() : v6);
            }
            if (nif == null) {
                return new LocalLink(MacAddress.NONE, address, 32, address6, 128);
            }
            int prefix = 32;
            int prefix6 = 128;
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getAddress().equals(device.address())) {
                    prefix = a.getNetworkPrefixLength();
                } else if (a.getAddress().equals(v6)) {
                    prefix6 = a.getNetworkPrefixLength();
                }
            }
            return new LocalLink(MacAddress.of(nif.getHardwareAddress()), address, Math.max(0, Math.min(32, prefix)), address6,
                    Math.max(0, Math.min(128, prefix6)));
        } catch (SocketException e) {
            return new LocalLink(MacAddress.NONE, address, 32, address6, 128);
        }
    }

    /** Whether {@code destination} is on our IPv4 subnet: frames to it go to its own MAC. */
    public boolean onLink(int destination) {
        if (prefixLength == 0) {
            return true;
        }
        int mask = -1 << (32 - prefixLength);
        return (destination & mask) == (address & mask);
    }

    /** Whether the IPv4 or IPv6 destination {@code (high, low)} ({@link IpAddress}'s words) is on our link. */
    public boolean onLink(long high, long low) {
        if (IpAddress.isV4(high, low)) {
            return onLink((int) low);
        }
        if (address6 == null) {
            return false;
        }
        return prefixLength6 <= 64 ? masked(high, prefixLength6) == masked(address6.high(), prefixLength6)
                : high == address6.high() && masked(low, prefixLength6 - 64) == masked(address6.low(), prefixLength6 - 64);
    }

    private static long masked(long word, int bits) {
        return bits == 0 ? 0 : bits >= 64 ? word : word & (-1L << (64 - bits));
    }

    /** {@code this} with our MAC as a frame of ours showed it (Windows may not report it through NetworkInterface). */
    public LocalLink withMac(long seen) {
        return seen == MacAddress.NONE || seen == mac ? this : new LocalLink(seen, address, prefixLength, address6, prefixLength6);
    }

    static int toInt(byte[] ipv4) {
        return ByteBuffer.wrap(ipv4).getInt();
    }

    /** a.b.c.d. */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    /** a.b.c.d, or the IPv6 address, of {@link IpAddress}'s two words. */
    public static String format(long high, long low) {
        return IpAddress.isV4(high, low) ? format((int) low) : IpAddress.v6(high, low).toString();
    }
}
