package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * Whether bytes can be a frame at all, without the key: long enough for a frame, a version (of this
 * version, a known type), and holding the whole payload its header announces. Frames of another
 * version pass, so that the host can tell their sender's operator why it is not understood
 * ({@link PeerVersionLog} asks this too). What a server asks of a stranger's first packet before it
 * gives the stranger a conn (an empty datagram, or junk that is not even shaped like a frame, gets
 * none); the MAC is checked when the conn delivers it.
 */
public final class FrameShape {
    private FrameShape() {
    }

    /** Whether the bytes from {@code b}'s position to its limit start with something shaped like a whole frame. */
    public static boolean plausible(ByteBuffer b) {
        return plausible(b, b.position());
    }

    /** Whether the bytes from {@code start} to {@code b}'s limit start with something shaped like a whole frame. */
    public static boolean plausible(ByteBuffer b, int start) {
        int avail = b.limit() - start;
        if (avail < FrameCodec.OVERHEAD) {
            return false;
        }
        int first = b.get(start) & 0xFF;
        int len = b.getShort(start + 2) & 0xFFFF;
        int version = first >>> 4;
        boolean typeFits = version != FrameCodec.VERSION || FrameType.isKnown(first & 0x0F);
        return version != 0 && typeFits && FrameCodec.OVERHEAD + len <= avail;
    }
}
