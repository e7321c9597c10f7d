package io.rsock.packet.inject;

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

    /** Packets that went unsent because the next hop's MAC was unknown. */
    long unknownDrops();
}
