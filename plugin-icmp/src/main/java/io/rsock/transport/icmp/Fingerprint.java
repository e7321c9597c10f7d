package io.rsock.transport.icmp;

import java.nio.ByteBuffer;

/**
 * A 64-bit fingerprint of an echo payload: its length and its first and last eight bytes, mixed. It
 * tells a reply that carries exactly what its request carried (the kernel's own echo, sent before
 * the server's firewall rule was in) from a reply the server built: the server never answers a
 * request with a payload of the same fingerprint, so on the client an equal fingerprint means the
 * kernel, however the fingerprints of unrelated payloads may collide. A frame ends in a 14-byte MAC,
 * so two different frames practically never share one anyway.
 */
final class Fingerprint {
    private static final long MIX = 0x9E3779B97F4A7C15L;
    /** The fingerprint of the empty payload (credit and keepalive requests). */
    static final long EMPTY = of(ByteBuffer.allocate(0), 0, 0);

    private Fingerprint() {
    }

    /** The fingerprint of the {@code len} bytes at {@code off} of {@code b} (absolute reads). */
    static long of(ByteBuffer b, int off, int len) {
        long h = (len + 1) * MIX;
        if (len >= 8) {
            h = (h ^ b.getLong(off)) * MIX;
            h = (h ^ b.getLong(off + len - 8)) * MIX;
        } else {
            for (int i = 0; i < len; i++) {
                h = (h ^ (b.get(off + i) & 0xFF)) * MIX;
            }
        }
        return h ^ (h >>> 31);
    }

    /** The fingerprint of {@code b} from its position to its limit. */
    static long of(ByteBuffer b) {
        return of(b, b.position(), b.remaining());
    }
}
