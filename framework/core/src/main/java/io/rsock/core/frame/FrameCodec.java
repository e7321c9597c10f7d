package io.rsock.core.frame;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;

/**
 * Builds and checks tunnel frames. Layout, version 2 (big-endian, 32 bytes of overhead):
 *
 * <pre>
 *  0        1        2        3
 * +--------+--------+--------+--------+
 * |ver|type|fragment|  payload length |
 * +--------+--------+--------+--------+
 * |             client id             |
 * +-+---------------------------------+
 * |S|       session id (31 bits)      |   S: set on frames from the server
 * +-+---------------------------------+
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
 * with every frame a sender builds; it is the anti-replay sequence and groups fragments. 48 bits
 * never wrap ({@link FrameCounter}); the 14-byte (112-bit) tag keeps the overhead at 32 bytes while a
 * forgery stays a 2^-112 guess.
 *
 * <p><b>Keys.</b> HELLO and HELLO_ACK carry an HMAC tag under the handshake key of their direction; every
 * other frame is keyed by its {@link Association} (the client run with the server run, one key per
 * direction, see {@link FrameKey}), found with an {@link AssociationLookup} before any cryptography. With
 * {@code --crypt}, the payload of those frames is encrypted in place and the tag is the AEAD's, cut to the
 * same 14 bytes, with the header as associated data ({@link AeadSeal}): same layout, same overhead.
 *
 * <p><b>Direction.</b> The S bit says which way a frame goes. A frame that arrives with this end's own
 * direction was reflected (or forged): {@link #REFLECTED}, without a MAC computed. The bit is under
 * the tag and the keys differ by direction, so flipping it only makes the frame fail.
 *
 * <p>Not thread-safe (it owns the hash and cipher state): each thread that builds or checks frames owns
 * one codec. Allocates nothing per frame with {@code --crypt none}.
 */
public final class FrameCodec {
    public static final int VERSION = 2;
    public static final int HEADER = 18;
    public static final int TAG = 14;
    /** Counters are 48-bit. */
    public static final long COUNTER_MASK = 0xFFFF_FFFF_FFFFL;
    /** Session ids are 31-bit: the top bit of their field is the direction. */
    public static final int SESSION_MASK = 0x7FFF_FFFF;
    /** Bytes a frame adds to the payload it carries. */
    public static final int OVERHEAD = HEADER + TAG;
    public static final int MAX_PAYLOAD = 0xFFFF;
    private static final int FROM_SERVER = 0x8000_0000;

    /** {@link #decode} results below zero. */
    public static final int TRUNCATED = -1;
    public static final int BAD_VERSION = -2;
    public static final int BAD_TYPE = -3;
    public static final int BAD_MAC = -4;
    /** The frame goes this end's own way: its own frame sent back to it. */
    public static final int REFLECTED = -5;
    /** No association for the frame's client id here (forgotten, never said HELLO, another run's). */
    public static final int UNKNOWN_PEER = -6;

    private final FrameKey key;
    private final boolean server;
    /** The handshake type this end sends (HELLO_ACK or HELLO) and the one it receives. */
    private final int handshakeOut;
    private final int handshakeIn;
    private final HmacSha256 mac = new HmacSha256();
    private final byte[] digest = new byte[HmacSha256.LENGTH];
    /** Null with {@code --crypt none}: the HMAC tag authenticates, nothing is encrypted. */
    private final AeadSeal aead;

    public FrameCodec(FrameKey key) {
        this.key = key;
        this.server = key.isServer();
        this.handshakeOut = server ? FrameType.HELLO_ACK : FrameType.HELLO;
        this.handshakeIn = server ? FrameType.HELLO : FrameType.HELLO_ACK;
        this.aead = key.protection() == FrameProtection.NONE ? null : new AeadSeal(key.protection());
    }

    /** Whether the frame at {@code start} says it comes from the server. */
    static boolean fromServer(ByteBuffer b, int start) {
        return (b.getInt(start + 8) & FROM_SERVER) != 0;
    }

    /**
     * Writes one frame at {@code out.position()} and advances the position past it. The payload is
     * read from {@code payload.position()} to its limit and left as it was.
     *
     * @param a the association the frame belongs to; ignored (may be null) for the handshake frame this
     *     end sends (a client's HELLO, a server's HELLO_ACK)
     * @return false, writing nothing, when {@code out} has no room for it, the payload is too long, or
     *     a frame that needs an association has none
     */
    public boolean encode(ByteBuffer out, Association a, int type, int fragment, int clientId, int sessionId, long counter,
            ByteBuffer payload) {
        int len = payload == null ? 0 : payload.remaining();
        int start = out.position();
        boolean handshake = type == handshakeOut;
        if (len > MAX_PAYLOAD || out.remaining() < OVERHEAD + len || (a == null && !handshake)) {
            return false;
        }
        out.put(start, (byte) ((VERSION << 4) | (type & 0x0F)));
        out.put(start + 1, (byte) fragment);
        out.putShort(start + 2, (short) len);
        out.putInt(start + 4, clientId);
        out.putInt(start + 8, (sessionId & SESSION_MASK) | (server ? FROM_SERVER : 0));
        out.putShort(start + 12, (short) (counter >>> 32));
        out.putInt(start + 14, (int) counter);
        if (len > 0) {
            out.put(start + HEADER, payload, payload.position(), len);
        }
        int tagAt = start + HEADER + len;
        if (!handshake && aead != null) {
            aead.seal(out, start, len, server ? a.s2cAead : a.c2sAead);
        } else {
            computeMac(handshake ? key.helloOut() : server ? a.s2cMac : a.c2sMac, out, start, HEADER + len);
            out.put(tagAt, digest, 0, TAG);
        }
        out.position(tagAt + TAG);
        return true;
    }

    /**
     * Checks the frame at {@code in.position()}: version, length, direction, that this end holds its
     * association ({@code lookup}), and the tag in constant time, before anything else is done with it.
     * On success fills {@code into}, advances the position past the frame and returns its length. On
     * failure returns a negative code and leaves the position; nothing about a bad frame may be trusted,
     * so the caller drops the rest of the packet.
     */
    public <C> int decode(ByteBuffer in, ReceivedFrame into, AssociationLookup<C> lookup, C context) {
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
        if (fromServer(in, start) == server) {
            return REFLECTED;
        }
        int clientId = in.getInt(start + 4);
        int tagAt = start + HEADER + len;
        Association a = null;
        // Only HELLO goes to the server under the handshake key, only HELLO_ACK to the client; any other
        // frame needs an association, so a handshake type sent the wrong way fails as a forgery.
        boolean handshake = type == handshakeIn;
        if (!handshake) {
            a = lookup.find(context, clientId);
            if (a == null) {
                return UNKNOWN_PEER;
            }
        }
        if (!handshake && aead != null) {
            if (!aead.open(in, start, len, server ? a.c2sAead : a.s2cAead)) {
                return BAD_MAC;
            }
        } else {
            computeMac(handshake ? key.helloIn() : server ? a.c2sMac : a.s2cMac, in, start, HEADER + len);
            int diff = 0;
            for (int i = 0; i < TAG; i++) { // constant time: no early exit
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
        into.clientId = clientId;
        into.sessionId = in.getInt(start + 8) & SESSION_MASK;
        into.counter = ((in.getShort(start + 12) & 0xFFFFL) << 32) | (in.getInt(start + 14) & 0xFFFF_FFFFL);
        into.payloadOffset = start + HEADER;
        into.payloadLength = len;
        into.association = a;
        in.position(tagAt + TAG);
        return OVERHEAD + len;
    }

    /** {@link #decode} of a frame of one known association (or a handshake frame): for tests and tools. */
    public int decode(ByteBuffer in, ReceivedFrame into, Association a) {
        return decode(in, into, (ctx, id) -> a, null);
    }

    private void computeMac(MacKey k, ByteBuffer b, int from, int length) {
        int savedPos = b.position();
        int savedLimit = b.limit();
        try {
            b.limit(from + length).position(from);
            mac.mac(k, b, digest);
        } finally {
            b.limit(savedLimit).position(savedPos);
        }
    }
}
