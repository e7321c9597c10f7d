package io.rsock.packet.inject;

import io.rsock.api.codec.IpAddress;

/**
 * IPv4 next hops from one source and IPv6 ones from another: on the Linux path with the pcap
 * injector, the kernel's ARP cache ({@link KernelNeighbours}, {@code /proc/net/arp}) answers for
 * IPv4, and frames answer for IPv6, whose neighbour cache {@code /proc} does not show.
 */
public final class SplitNextHops implements NextHops {
    private final NextHops v4;
    private final NextHops v6;

    public SplitNextHops(NextHops v4, NextHops v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    @Override
    public long macFor(int destination) {
        return v4.macFor(destination);
    }

    @Override
    public long macFor(long high, long low) {
        return IpAddress.isV4(high, low) ? v4.macFor((int) low) : v6.macFor(high, low);
    }

    @Override
    public long unknownDrops() {
        return v4.unknownDrops() + v6.unknownDrops();
    }
}
