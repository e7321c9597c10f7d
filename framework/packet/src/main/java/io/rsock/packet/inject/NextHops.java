package io.rsock.packet.inject;

import io.rsock.api.codec.IpAddress;
import io.rsock.packet.link.MacAddress;

/**
 * Where the pcap injector addresses an Ethernet frame: the MAC address of the next hop towards a
 * destination. The Linux path reads the kernel's tables; the portable path learns it from frames.
 */
public interface NextHops {
    /** For links without next hops to find (loopback, BSD null, raw IP): the all-zero MAC. */
    NextHops NOT_NEEDED = new NextHops() {
        @Override
        public long macFor(int destination) {
            return 0;
        }

        @Override
        public long macFor(long high, long low) {
            return 0;
        }

        @Override
        public long unknownDrops() {
            return 0;
        }
    };

    /**
     * The next hop's MAC (see {@code MacAddress}) for a packet to {@code destination}, or
     * {@code MacAddress.NONE} when it is not known yet: the packet is dropped and counted, and
     * finding it out is started where that is possible. Called for every packet; must not block.
     *
     * @param destination the IPv4 destination, a.b.c.d as {@code a<<24|b<<16|c<<8|d}
     */
    long macFor(int destination);

    /**
     * {@link #macFor(int)} for a destination of either family as {@code IpAddress}'s two words (an
     * IPv4 one in its mapped form). The default answers IPv4 and finds no IPv6 next hop.
     */
    default long macFor(long high, long low) {
        return IpAddress.isV4(high, low) ? macFor((int) low) : MacAddress.NONE;
    }

    /** Packets that went unsent because the next hop's MAC was unknown. */
    long unknownDrops();
}
