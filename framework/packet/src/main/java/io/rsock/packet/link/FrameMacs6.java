package io.rsock.packet.link;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link FrameMacs} for IPv6 sources: the MAC each source's packets last arrived from, in a fixed
 * table of 16 384 slots (512 KiB), learning and lookup O(1) and allocation-free. A 128-bit address
 * has no bijection into a slot and a tag, so each slot holds the whole address: a version, the
 * address's two words and the MAC, written by the one writer (the capture thread) under the
 * version's odd value and read by any number of readers who retry nothing: a read that overlaps a
 * write, or finds another address, answers "not known", and the packet is learned again from the
 * next frame (it arrives before anything is sent back). The slot index is a seeded mix of the
 * address, so a flood of chosen addresses cannot aim at one host's slot.
 */
final class FrameMacs6 {
    private static final int BITS = 14;
    private static final int MASK = (1 << BITS) - 1;
    private static final int WORDS = 4; // version, high, low, mac
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final AtomicLongArray slots = new AtomicLongArray(WORDS << BITS);
    private final long seed = ThreadLocalRandom.current().nextLong();

    /** Frames to {@code (high, low)} go to {@code mac} from now on. One writer only. */
    void put(long high, long low, long mac) {
        int at = slot(high, low) * WORDS;
        if (slots.getPlain(at + 1) == high && slots.getPlain(at + 2) == low && slots.getPlain(at + 3) == (mac & MAC_MASK)) {
            return; // the common case, the same host again, writes nothing
        }
        long version = slots.getPlain(at);
        slots.setRelease(at, version + 1); // odd: being written
        slots.setRelease(at + 1, high);
        slots.setRelease(at + 2, low);
        slots.setRelease(at + 3, mac & MAC_MASK);
        slots.setRelease(at, version + 2);
    }

    /** The MAC packets from {@code (high, low)} last came from, or {@link MacAddress#NONE}. */
    long get(long high, long low) {
        int at = slot(high, low) * WORDS;
        long before = slots.getAcquire(at);
        if ((before & 1) != 0 || before == 0) {
            return MacAddress.NONE;
        }
        boolean same = slots.getAcquire(at + 1) == high && slots.getAcquire(at + 2) == low;
        long mac = slots.getAcquire(at + 3);
        return same && slots.getAcquire(at) == before ? mac : MacAddress.NONE;
    }

    private int slot(long high, long low) {
        long x = (low ^ seed) * 0x9E3779B97F4A7C15L + high;
        x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
        return (int) (x ^ (x >>> 29)) & MASK;
    }
}
