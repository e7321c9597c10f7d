package io.rsock.packet.capture;

/**
 * How much of each packet the capture keeps and how large its kernel ring is. libpcap's immediate
 * mode uses a TPACKET_V2 ring of equal slots, each rounded up to a power-of-two number of pages
 * when it is larger than one, and the whole ring is mapped into the process: it is most of the
 * server's memory. Slots sized to the MTU when the device cannot merge packets are what keep it
 * small; only GRO/LRO needs 64 KiB slots.
 *
 * @param snaplen bytes kept per packet: a whole packet, link header included
 * @param ringBytes the ring size asked of libpcap
 */
public record CaptureSizing(int snaplen, int ringBytes) {
    /** Room for the link header (Ethernet, VLAN tags, Linux cooked v2) in front of an MTU-sized packet. */
    static final int LINK_HEADROOM = 64;
    static final int WHOLE_PACKET = 65535;
    /**
     * With merged packets a slot is 128 KiB (65 535 bytes plus libpcap's header, rounded up): about
     * a thousand slots, enough for the capture thread to catch up after a GC pause, maps 128 MiB.
     */
    static final int MERGED_RING_BYTES = 64 << 20;
    /**
     * With MTU-sized slots (2 KiB at MTU 1500, two per page) 16 MiB is about eight thousand slots:
     * 80 ms of a 100 000 packet/s burst, in about 20 MiB of memory.
     */
    static final int PLAIN_RING_BYTES = 16 << 20;

    /**
     * @param mtu the device's MTU, IP header included
     * @param mayMerge whether GRO or LRO may hand over packets larger than the MTU
     */
    public static CaptureSizing forDevice(int mtu, boolean mayMerge) {
        if (mayMerge || mtu <= 0 || mtu + LINK_HEADROOM >= WHOLE_PACKET) {
            return new CaptureSizing(WHOLE_PACKET, MERGED_RING_BYTES);
        }
        return new CaptureSizing(mtu + LINK_HEADROOM, PLAIN_RING_BYTES);
    }

    /**
     * For a capture whose kernel buffer holds packets back to back (BPF on macOS, Npcap on
     * Windows), where whole 64 KiB packets cost only the bytes they have: merged packets are kept
     * whole whatever the device does, in a 16 MiB buffer.
     */
    public static CaptureSizing backToBack() {
        return new CaptureSizing(WHOLE_PACKET, PLAIN_RING_BYTES);
    }

    @Override
    public String toString() {
        return "snaplen " + snaplen + ", ring " + (ringBytes >> 20) + " MiB";
    }
}
