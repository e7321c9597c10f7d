package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * Builds and checks tunnel frames. Layout (big-endian, 32 bytes of overhead):
 *
 * <pre>
 *  0        1        2        3
 * +--------+--------+--------+--------+
 * |ver|type|fragment|  payload length |
 * +--------+--------+--------+--------+
 * |             client id             |
 * +-----------------------------------+
 * |             session id            |
 * +-----------------------------------+
 * |        counter (48 bits)          |
 * +                 +-----------------+
 * |                 |  payload (length bytes) ...
 * +-----------------+-----------------+
 * |  tag: HMAC-SHA256(key, header|payload), first 14 bytes  |
 * +-----------------------------------+
 * </pre>
 *
 * The length makes frames self-delimiting: a capture that merged several segments (GRO) hands over
 * several frames back to back, and {@link #decode} takes them one at a time. The counter increases
 * with every frame a sender builds; it is the anti-replay sequence and groups fragments. 48 bits last
 * nine years at a million frames a second, so it never wraps (a 32-bit one would wrap within a day
 * at full speed, and a wrapped counter makes an old captured frame look new); the 14-byte (112-bit)
 * tag keeps the overhead at 32 bytes while a forgery stays a 2^-112 guess.
 *
 * <p>With {@code --crypt}, the payload is encrypted in place and the tag is the AEAD's, cut to the same
 * 14 bytes, with the header as associated data ({@link AeadSeal}): same layout, same overhead.
 *
 * <p>Not thread-safe (it owns a {@link Mac}): each thread that builds or checks frames owns one codec.
 * Allocates nothing per frame with {@code --crypt none}.
 */
public final class FrameCodec {
    public static final int VERSION = 1;
    public static final int HEADER = 18;
    public static final int TAG = 14;
    /** Counters are 48-bit. */
    public static final long COUNTER_MASK = 0xFFFF_FFFF_FFFFL;
    /** Bytes a frame adds to the payload it carries. */
    public static final int OVERHEAD = HEADER + TAG;
    public static final int MAX_PAYLOAD = 0xFFFF;

    /** {@link #decode} results below zero. */
    public static final int TRUNCATED = -1;
    public static final int BAD_VERSION = -2;
    public static final int BAD_TYPE = -3;
    public static final int BAD_MAC = -4;

    private final HmacSha256 mac;
    private final byte[] digest = new byte[HmacSha256.LENGTH];
    /** Null with {@code --crypt none}: the HMAC tag authenticates, nothing is encrypted. */
    private final AeadSeal aead;
    private final FrameKey key;

    public FrameCodec(FrameKey key) {
        this.key = key;
        this.mac = key.newHmac();
        this.aead = key.protection() == io.rsock.core.config.FrameProtection.NONE ? null : new AeadSeal(key);
    }

    /**
     * Writes one frame at {@code out.position()} and advances the position past it. The payload is
     * read from {@code payload.position()} to its limit and left as it was.
     *
     * @return false, writing nothing, when {@code out} has no room for it or the payload is too long
     */
    public boolean encode(ByteBuffer out, int type, int fragment, int clientId, int sessionId, long counter,
            ByteBuffer payload) {
        int len = payload == null ? 0 : payload.remaining();
        int start = out.position();
        if (len > MAX_PAYLOAD || out.remaining() < OVERHEAD + len) {
            return false;
        }
        out.put(start, (byte) ((VERSION << 4) | (type & 0x0F)));
        out.put(start + 1, (byte) fragment);
        out.putShort(start + 2, (short) len);
        // With AEAD the server's frames name the server's run in this field (the key names the client).
        out.putInt(start + 4, aead != null && key.isServer() ? key.selfId() : clientId);
        out.putInt(start + 8, sessionId);
        out.putShort(start + 12, (short) (counter >>> 32));
        out.putInt(start + 14, (int) counter);
        if (len > 0) {
            out.put(start + HEADER, payload, payload.position(), len);
        }
        int tagAt = start + HEADER + len;
        if (aead != null) {
            aead.seal(out, start, len, clientId);
        } else {
            computeMac(out, start, HEADER + len);
            out.put(tagAt, digest, 0, TAG);
        }
        out.position(tagAt + TAG);
        return true;
    }

    /**
     * Checks the frame at {@code in.position()}: version, type, length, and the MAC in constant time,
     * before anything else is done with it. On success fills {@code into}, advances the position past
     * the frame and returns its length. On failure returns a negative code and leaves the position;
     * nothing about a bad frame may be trusted, so the caller drops the rest of the packet.
     */
    public int decode(ByteBuffer in, ReceivedFrame into) {
        int start = in.position();
        int avail = in.limit() - start;
        if (avail < OVERHEAD) {
            return TRUNCATED;
        }
        int first = in.get(start) & 0xFF;
        if ((first >>> 4) != VERSION) {
            return BAD_VERSION;
        }
        int type = first & 0x0F;
        int len = in.getShort(start + 2) & 0xFFFF;
        if (avail < OVERHEAD + len) {
            return TRUNCATED;
        }
        int tagAt = start + HEADER + len;
        if (aead != null) {
            if (!aead.open(in, start, len)) {
                return BAD_MAC;
            }
        } else {
            computeMac(in, start, HEADER + len);
            int diff = 0;
            for (int i = 0; i < TAG; i++) {
                diff |= digest[i] ^ in.get(tagAt + i);
            }
            if (diff != 0) {
                return BAD_MAC;
            }
        }
        if (!FrameType.isKnown(type)) {
            // Authenticated but from a newer peer: still dropped, counted apart from forgeries.
            return BAD_TYPE;
        }
        into.type = type;
        into.fragment = in.get(start + 1) & 0xFF;
        // With AEAD a server's frame carries its run id here; the key already proved it is for this client.
        into.clientId = aead != null && !key.isServer() ? key.selfId() : in.getInt(start + 4);
        into.sessionId = in.getInt(start + 8);
        into.counter = ((in.getShort(start + 12) & 0xFFFFL) << 32) | (in.getInt(start + 14) & 0xFFFF_FFFFL);
        into.payloadOffset = start + HEADER;
        into.payloadLength = len;
        in.position(tagAt + TAG);
        return OVERHEAD + len;
    }

    private void computeMac(ByteBuffer b, int from, int length) {
        int savedPos = b.position();
        int savedLimit = b.limit();
        try {
            b.limit(from + length).position(from);
            mac.mac(b, digest);
        } finally {
            b.limit(savedLimit).position(savedPos);
        }
    }
}
