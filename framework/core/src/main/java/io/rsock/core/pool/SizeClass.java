package io.rsock.core.pool;

/**
 * Frames by size, for delivery that depends on size: a policer of bytes or of large packets passes
 * heartbeats and small frames while it drops full-size ones, so each conn is measured and weighed
 * per class. Sizes are whole frames, header and tag included.
 */
public final class SizeClass {
    public static final int SMALL = 0;
    public static final int MEDIUM = 1;
    public static final int LARGE = 2;
    public static final int COUNT = 3;
    /** Frames of at least this many bytes are medium (a 512-byte datagram and its frame header is one). */
    static final int MEDIUM_FROM = 512;
    /** Frames of at least this many bytes are large: most of a 1 500-byte MTU. */
    static final int LARGE_FROM = 1024;

    private static final String[] NAMES = {"small", "medium", "large"};

    private SizeClass() {
    }

    /** The class of a frame of {@code frameBytes}. */
    public static int of(int frameBytes) {
        return frameBytes >= LARGE_FROM ? LARGE : frameBytes >= MEDIUM_FROM ? MEDIUM : SMALL;
    }

    public static String name(int sizeClass) {
        return NAMES[sizeClass];
    }
}
