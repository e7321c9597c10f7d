package io.rsock.packet.link;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The MAC each IPv4 source's packets last arrived from, in a fixed table of 65 536 slots (512 KiB):
 * learning and lookup are O(1) and allocate nothing, so a flood from spoofed sources costs a slot
 * write per packet, never a growing table. Each slot holds one long: the upper 16 bits of the mixed
 * address as a tag and the 48-bit MAC, the lower 16 bits being the slot's index; the mix is a
 * bijection, so tag and index name exactly one address and a lookup never answers for another. A
 * newer address may take an older one's slot: a host whose slot was taken is learned again from
 * its next packet, which arrives before anything is sent back to it. One writer (the capture
 * thread), any number of readers.
 */
final class FrameMacs {
    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final AtomicLongArray slots = new AtomicLongArray(1 << BITS);

    /** Frames to {@code address} go to {@code mac} from now on. */
    void put(int address, long mac) {
        int mixed = mix(address);
        long slot = (long) (mixed >>> BITS) << 48 | mac & MAC_MASK;
        if (slots.getPlain(mixed & MASK) != slot) { // the common case, the same host again, writes nothing
            slots.setRelease(mixed & MASK, slot);
        }
    }

    /** The MAC packets from {@code address} last came from, or {@link MacAddress#NONE}. */
    long get(int address) {
        int mixed = mix(address);
        long slot = slots.getAcquire(mixed & MASK);
        return slot != 0 && slot >>> 48 == mixed >>> BITS ? slot & MAC_MASK : MacAddress.NONE;
    }

    /** A bijection of the 32-bit address that spreads neighbouring addresses over the slots. */
    static int mix(int address) {
        int x = address * 0x9E3779B1; // odd: invertible modulo 2^32
        return x ^ x >>> 16; // invertible xorshift
    }
}
