package io.rsock.packet.device;

/**
 * One IPv4 route of the kernel's main table. Addresses are big-endian ints (a.b.c.d = a<<24|...),
 * like {@link io.rsock.api.codec.Ipv4}'s.
 *
 * @param device the outgoing device
 * @param destination network address
 * @param mask netmask; 0 for the default route
 * @param gateway next hop, or 0 when the destination is on the link
 * @param metric lower wins among equally long prefixes
 */
public record Route(String device, int destination, int mask, int gateway, int metric) {

    public boolean contains(int address) {
        return (address & mask) == (destination & mask);
    }

    public boolean isDefault() {
        return mask == 0;
    }

    public int prefixLength() {
        return Integer.bitCount(mask);
    }

    /** The address the next frame towards {@code address} goes to: the gateway, or the address itself on-link. */
    public int nextHop(int address) {
        return gateway != 0 ? gateway : address;
    }
}
