package io.rsock.packet.device;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The device packets are captured on and sent from, and its addresses of both families.
 *
 * @param name the name libpcap opens (on Linux the interface name, e.g. {@code eth0})
 * @param address the IPv4 address transports put as the source of their IPv4 packets; null when the device has none
 * @param addresses6 its IPv6 addresses that can reach beyond the link (global, unique-local; loopback's
 *     {@code ::1}), the preferred one first; empty when it has none. Link-local addresses are left out.
 * @param mtu MTU in bytes, IP header included
 * @param loopback whether it is the loopback device
 */
public record Device(String name, Inet4Address address, List<Inet6Address> addresses6, int mtu, boolean loopback) {
    public Device {
        addresses6 = List.copyOf(addresses6);
    }

    /** An IPv4-only device (tests, and where IPv6 is off). */
    public Device(String name, Inet4Address address, int mtu, boolean loopback) {
        this(name, address, List.of(), mtu, loopback);
    }

    /** Whether {@code a} is one of this device's addresses (of either family). */
    public boolean owns(InetAddress a) {
        return a.equals(address) || addresses6.contains(a);
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        if (address != null) {
            all.add(address.getHostAddress());
        }
        addresses6.forEach(a -> all.add(a.getHostAddress()));
        return name + " (" + String.join(", ", all) + ", mtu " + mtu + ")";
    }
}
