package io.rsock.packet.device;

import java.net.Inet4Address;

/**
 * The device packets are captured on and sent from.
 *
 * @param name the name libpcap opens (on Linux the interface name, e.g. {@code eth0})
 * @param address the IPv4 address transports put as the source of their packets
 * @param mtu MTU in bytes, IPv4 header included
 * @param loopback whether it is the loopback device
 */
public record Device(String name, Inet4Address address, int mtu, boolean loopback) {
    @Override
    public String toString() {
        return name + " (" + address.getHostAddress() + ", mtu " + mtu + ")";
    }
}
