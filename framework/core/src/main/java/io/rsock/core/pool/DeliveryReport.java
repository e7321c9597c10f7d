package io.rsock.core.pool;

import java.nio.ByteBuffer;

/**
 * Frames (per {@link SizeClass}) and bytes one end counted on one conn since it opened, as the
 * heartbeats carry them: four unsigned 32-bit big-endian counts, frames small, medium, large, then
 * bytes. They wrap; only differences between two reports of the same conn mean anything.
 */
public final class DeliveryReport {
    /** Bytes on the wire. */
    public static final int SIZE = 4 * (SizeClass.COUNT + 1);

    final int[] frames = new int[SizeClass.COUNT];
    int bytes;

    /** A report of these counts (for tests and recordings). */
    public static DeliveryReport of(int small, int medium, int large, int bytes) {
        DeliveryReport r = new DeliveryReport();
        r.frames[SizeClass.SMALL] = small;
        r.frames[SizeClass.MEDIUM] = medium;
        r.frames[SizeClass.LARGE] = large;
        r.bytes = bytes;
        return r;
    }

    public int frames(int sizeClass) {
        return frames[sizeClass];
    }

    public int bytes() {
        return bytes;
    }

    /** Reads the report at absolute offset {@code at} of {@code b}. */
    public DeliveryReport read(ByteBuffer b, int at) {
        for (int c = 0; c < SizeClass.COUNT; c++) {
            frames[c] = b.getInt(at + 4 * c);
        }
        bytes = b.getInt(at + 4 * SizeClass.COUNT);
        return this;
    }

    /** Writes the report at {@code b}'s position and advances it. */
    public void write(ByteBuffer b) {
        for (int c = 0; c < SizeClass.COUNT; c++) {
            b.putInt(frames[c]);
        }
        b.putInt(bytes);
    }

    public void copyFrom(DeliveryReport other) {
        System.arraycopy(other.frames, 0, frames, 0, SizeClass.COUNT);
        bytes = other.bytes;
    }

    @Override
    public String toString() {
        return "frames " + Integer.toUnsignedString(frames[0]) + "/" + Integer.toUnsignedString(frames[1]) + "/"
                + Integer.toUnsignedString(frames[2]) + ", " + Integer.toUnsignedString(bytes) + " B";
    }
}
