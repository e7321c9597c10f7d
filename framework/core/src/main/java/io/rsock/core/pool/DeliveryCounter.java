package io.rsock.core.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * Frames and bytes sent or received on one conn, by size class, over its life: what the heartbeats
 * report. Any thread may count; a snapshot is as consistent as the caller's ordering makes it (see
 * {@link ConnDelivery}).
 */
public final class DeliveryCounter {
    private final LongAdder[] frames = new LongAdder[SizeClass.COUNT];
    private final LongAdder bytes = new LongAdder();

    public DeliveryCounter() {
        for (int c = 0; c < SizeClass.COUNT; c++) {
            frames[c] = new LongAdder();
        }
    }

    /** Counts one frame of {@code frameBytes}. */
    public void count(int frameBytes) {
        frames[SizeClass.of(frameBytes)].increment();
        bytes.add(frameBytes);
    }

    /** Counts a batch of frames: so many of each class, {@code bytes} in all. */
    public void count(int small, int medium, int large, int bytes) {
        add(SizeClass.SMALL, small);
        add(SizeClass.MEDIUM, medium);
        add(SizeClass.LARGE, large);
        this.bytes.add(bytes);
    }

    private void add(int sizeClass, int n) {
        if (n > 0) {
            frames[sizeClass].add(n);
        }
    }

    /** The counts now, cut to the report's 32 bits. */
    public DeliveryReport snapshot(DeliveryReport into) {
        for (int c = 0; c < SizeClass.COUNT; c++) {
            into.frames[c] = (int) frames[c].sum();
        }
        into.bytes = (int) bytes.sum();
        return into;
    }

    /** Frames counted in all classes. */
    public long frames() {
        long n = 0;
        for (LongAdder f : frames) {
            n += f.sum();
        }
        return n;
    }
}
