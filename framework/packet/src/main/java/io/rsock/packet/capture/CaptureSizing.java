package io.rsock.packet.capture;

import io.rsock.api.io.QueueBudget;

/**
 * How much of each packet the capture keeps and how large its kernel ring is. libpcap's immediate
 * mode uses a TPACKET_V2 ring of equal slots, each rounded up to a power-of-two number of pages
 * when it is larger than one, and the whole ring is mapped into the process. The ring holds
 * {@link #SLOTS} packets, and the kernel drops, and rsock counts ({@code kernel_drops}), beyond.
 * Unlike an app socket it is one queue for every conn and every stranger of a host, so it must
 * ride out a flood while the capture thread waits for a core: a ring of {@link QueueBudget}'s
 * size lost a tenth of a live flow under AbuseIT's floods. Slots are sized to the
 * MTU when the device cannot merge packets; GRO/LRO needs 64 KiB slots, which libpcap puts one to a
 * 128 KiB block, so such a ring holds at most 256 of them, 32 MiB. (A ring of packed blocks, TPACKET_V3, would hold
 * merged packets in less, but the kernel hands a block over only when it is full or its timer
 * fires, which adds up to a timer tick to every packet at low rates.)
 *
 * @param snaplen bytes kept per packet: a whole packet, link header included
 * @param ringBytes the ring size asked of libpcap
 */
public record CaptureSizing(int snaplen, int ringBytes) {
    /** Room for the link header (Ethernet, VLAN tags, Linux cooked v2) in front of an MTU-sized packet. */
    static final int LINK_HEADROOM = 64;
    static final int WHOLE_PACKET = 65535;
    /** What libpcap adds to a slot before the packet (its header, the sockaddr_ll, alignment). */
    static final int SLOT_OVERHEAD = 128;
    static final int PAGE = 4096;
    /** Packets the ring holds when the device does not merge them (16 MiB mapped at MTU 1 500). */
    static final int SLOTS = 8192;
    /** The most a ring may map, whatever the device does (GRO's whole packets included). */
    static final int MAX_RING_MAPPED = 32 << 20;
    /**
     * For a capture whose kernel buffer holds packets back to back (BPF on macOS, Npcap on
     * Windows): 16 MiB, which costs only what is queued.
     */
    static final int BACK_TO_BACK_BYTES = 16 << 20;

    /**
     * @param mtu the device's MTU, IP header included
     * @param mayMerge whether GRO or LRO may hand over packets larger than the MTU
     */
    public static CaptureSizing forDevice(int mtu, boolean mayMerge) {
        int snaplen = mayMerge || mtu <= 0 || mtu + LINK_HEADROOM >= WHOLE_PACKET ? WHOLE_PACKET : mtu + LINK_HEADROOM;
        int slots = Math.min(SLOTS, MAX_RING_MAPPED / mappedSlotBytes(snaplen + SLOT_OVERHEAD));
        // libpcap makes ceil(ringBytes / its slot size) slots, and its slot is longer than snaplen:
        // asking slots x snaplen never gets more than the slots counted here (256 x 64 KiB in a
        // 32 MiB ring, not 257).
        return new CaptureSizing(snaplen, QueueBudget.ringBytes(slots, snaplen));
    }

    /**
     * What one slot of {@code frameBytes} maps: libpcap packs slots of up to a page into pages and
     * gives a larger one a block of the next power of two (a 64 KiB slot takes 128 KiB).
     */
    static int mappedSlotBytes(int frameBytes) {
        if (frameBytes <= PAGE) {
            return PAGE / (PAGE / frameBytes);
        }
        return Integer.highestOneBit(frameBytes - 1) << 1;
    }

    /**
     * For a capture whose kernel buffer holds packets back to back (BPF on macOS, Npcap on
     * Windows), where whole 64 KiB packets cost only the bytes they have: merged packets are kept
     * whole whatever the device does.
     */
    public static CaptureSizing backToBack() {
        return new CaptureSizing(WHOLE_PACKET, BACK_TO_BACK_BYTES);
    }

    @Override
    public String toString() {
        return "snaplen " + snaplen + ", ring " + (ringBytes >> 10) + " KiB (" + ringBytes / snaplen + " packets at most)";
    }
}
