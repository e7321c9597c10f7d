package org.example.rsock.dns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The DNS messages the transport sends, built and parsed in place (no allocation per message).
 *
 * <p><b>Query</b> (client to server): an ordinary recursive query for a TXT record, with the frame
 * base32-encoded (RFC 4648 alphabet, lower case, no padding) in the labels before the configured
 * domain, e.g. {@code mfrgg...ydq.zfjmi.t.rsock.example}, and an EDNS0 OPT record offering a
 * 4 096-byte UDP payload, as every modern resolver sends. A name is at most 255 bytes on the wire,
 * so a query carries at most {@link #maxQueryFrame()} frame bytes (146 with the default domain).
 *
 * <p><b>Response</b> (server to client): a response ({@code QR=1, RD, RA, NOERROR}) with the
 * domain as its question and one TXT answer whose character-strings (255 bytes at most each)
 * hold the raw frame: TXT data is 8-bit clean, so a response carries almost a full packet.
 *
 * <p>Decoding is strict about structure (counts, label lengths, name length, the domain, the
 * base32 alphabet) and returns {@code -1} for anything else, never throws: whatever a stranger
 * sends to port 53 is dropped and counted. It works in place: the frame is left at the start of
 * the message it came in (it is always shorter), so a datagram is read without a copy elsewhere.
 */
final class DnsCodec {
    static final int HEADER = 12;
    static final int TYPE_TXT = 16;
    static final int TYPE_OPT = 41;
    static final int CLASS_IN = 1;
    static final int MAX_NAME = 255;
    static final int MAX_LABEL = 63;
    static final int EDNS_PAYLOAD = 4096;
    /** Flags of a query: RD. */
    static final int QUERY_FLAGS = 0x0100;
    /** Flags of a response: QR, RD, RA, NOERROR. */
    static final int RESPONSE_FLAGS = 0x8180;
    /** An answer's fixed part: name pointer, type, class, TTL, data length. */
    static final int ANSWER_FIXED = 2 + 2 + 2 + 4 + 2;
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toUpperCase(ALPHABET[i])] = (byte) i; // resolvers may randomize case (0x20 bit)
        }
    }

    private final byte[] domain; // wire form: length-prefixed labels, ending with the root's 0
    private final int maxQueryFrame;

    /** @param domain the zone the frames are sent under, e.g. {@code t.rsock.example} */
    DnsCodec(String domain) {
        this.domain = wireName(domain);
        int n = MAX_NAME;
        while (n > 0 && queryNameLength(n) > MAX_NAME) {
            n--;
        }
        this.maxQueryFrame = n;
    }

    /** Most frame bytes one query carries (its name stays within 255 bytes). */
    int maxQueryFrame() {
        return maxQueryFrame;
    }

    /** Most frame bytes one response carries within {@code maxMessage} bytes of DNS message. */
    int maxResponseFrame(int maxMessage) {
        int room = maxMessage - responseFixed();
        int n = room - (room + 255) / 256; // one length byte per 255-byte character-string
        while (n > 0 && n + strings(n) > room) {
            n--;
        }
        return Math.max(n, 0);
    }

    /** Bytes of a response around its frame (without the character-strings' length bytes). */
    int responseFixed() {
        return HEADER + domain.length + 4 + ANSWER_FIXED;
    }

    // ---------------------------------------------------------------------------------------------
    // Queries

    /** Writes a query with id {@code id} carrying {@code frame} (position to limit, left unchanged) at {@code out}'s position, and flips it. */
    void encodeQuery(ByteBuffer out, int id, ByteBuffer frame) {
        out.putShort((short) id).putShort((short) QUERY_FLAGS).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 1);
        // Base32 into labels of at most 63 characters.
        int labelStart = -1;
        int bits = 0;
        int value = 0;
        for (int i = frame.position(); i < frame.limit(); i++) {
            value = (value << 8) | (frame.get(i) & 0xFF);
            bits += 8;
            while (bits >= 5) {
                labelStart = putChar(out, labelStart, ALPHABET[(value >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            labelStart = putChar(out, labelStart, ALPHABET[(value << (5 - bits)) & 31]);
        }
        closeLabel(out, labelStart);
        out.put(domain);
        out.putShort((short) TYPE_TXT).putShort((short) CLASS_IN);
        putOpt(out);
        out.flip();
    }

    private static int putChar(ByteBuffer out, int labelStart, byte c) {
        if (labelStart < 0 || out.position() - labelStart - 1 == MAX_LABEL) {
            closeLabel(out, labelStart);
            labelStart = out.position();
            out.put((byte) 0);
        }
        out.put(c);
        return labelStart;
    }

    private static void closeLabel(ByteBuffer out, int labelStart) {
        if (labelStart >= 0) {
            out.put(labelStart, (byte) (out.position() - labelStart - 1));
        }
    }

    private static void putOpt(ByteBuffer out) {
        out.put((byte) 0).putShort((short) TYPE_OPT).putShort((short) EDNS_PAYLOAD).putInt(0).putShort((short) 0);
    }

    /**
     * Reads a query from {@code in} (position to limit) and leaves its frame in place: from the
     * query's first byte, {@code in}'s position and limit moved to it.
     *
     * @return the query's id, or {@code -1} when {@code in} is not a query this transport sent
     */
    int decodeQuery(ByteBuffer in) {
        int p = in.position();
        int end = in.limit();
        if (end - p < HEADER + 1 + 4) {
            return -1;
        }
        int id = in.getShort(p) & 0xFFFF;
        int flags = in.getShort(p + 2) & 0xFFFF;
        if ((flags & 0x8000) != 0 || (flags & 0x7800) != 0 || (in.getShort(p + 4) & 0xFFFF) != 1
                || in.getShort(p + 6) != 0) {
            return -1; // a response, not a standard query, or not one question
        }
        // Walk the name: labels only (no compression in a question we sent), within 255 bytes.
        int nameStart = p + HEADER;
        int q = nameStart;
        while (true) {
            if (q >= end) {
                return -1;
            }
            int len = in.get(q) & 0xFF;
            if (len == 0) {
                q++;
                break;
            }
            if (len > MAX_LABEL || q + 1 + len > end) {
                return -1;
            }
            q += 1 + len;
        }
        int nameLength = q - nameStart;
        if (nameLength > MAX_NAME || nameLength < domain.length || q + 4 > end
                || (in.getShort(q) & 0xFFFF) != TYPE_TXT || (in.getShort(q + 2) & 0xFFFF) != CLASS_IN) {
            return -1;
        }
        int dataEnd = q - domain.length;
        if (!sameName(in, dataEnd) || !onLabelBoundary(in, nameStart, dataEnd)) {
            return -1;
        }
        // Base32-decode the labels before the domain, writing from the message's start: the
        // writer (5 bits a character) never catches up with the reader (8 bits, and length bytes).
        int bits = 0;
        int value = 0;
        int r = nameStart;
        int w = p;
        while (r < dataEnd) {
            int len = in.get(r++) & 0xFF;
            for (int i = 0; i < len; i++) {
                int c = in.get(r++);
                int v = c < 0 ? -1 : DECODE[c];
                if (v < 0) {
                    return -1;
                }
                value = (value << 5) | v;
                bits += 5;
                if (bits >= 8) {
                    in.put(w++, (byte) (value >>> (bits - 8)));
                    bits -= 8;
                }
            }
        }
        if (bits >= 5 || (value & ((1 << bits) - 1)) != 0) {
            return -1; // not what encodeQuery writes: a whole character too many, or stray padding bits
        }
        in.limit(w).position(p);
        return id;
    }

    private boolean sameName(ByteBuffer in, int at) {
        for (int i = 0; i < domain.length; i++) {
            int a = in.get(at + i);
            int b = domain[i];
            if (a != b && Character.toLowerCase(a) != b) {
                return false;
            }
        }
        return true;
    }

    private static boolean onLabelBoundary(ByteBuffer in, int nameStart, int at) {
        int q = nameStart;
        while (q < at) {
            q += 1 + (in.get(q) & 0xFF);
        }
        return q == at;
    }

    // ---------------------------------------------------------------------------------------------
    // Responses

    /** Writes a response with id {@code id} carrying {@code frame} (position to limit, left unchanged) at {@code out}'s position, and flips it. */
    void encodeResponse(ByteBuffer out, int id, ByteBuffer frame) {
        out.putShort((short) id).putShort((short) RESPONSE_FLAGS).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0);
        out.put(domain).putShort((short) TYPE_TXT).putShort((short) CLASS_IN);
        int n = frame.remaining();
        out.putShort((short) (0xC000 | HEADER)).putShort((short) TYPE_TXT).putShort((short) CLASS_IN).putInt(0)
                .putShort((short) (n + strings(n)));
        int from = frame.position();
        do {
            int chunk = Math.min(255, frame.limit() - from);
            out.put((byte) chunk);
            out.put(out.position(), frame, from, chunk);
            out.position(out.position() + chunk);
            from += chunk;
        } while (from < frame.limit());
        out.flip();
    }

    /**
     * Reads a response from {@code in} and leaves the frame of its first TXT answer in place: from
     * the response's first byte, {@code in}'s position and limit moved to it.
     *
     * @return the response's id, or {@code -1} when it is not a response carrying a frame
     */
    int decodeResponse(ByteBuffer in) {
        int p = in.position();
        int end = in.limit();
        if (end - p < HEADER) {
            return -1;
        }
        int id = in.getShort(p) & 0xFFFF;
        int flags = in.getShort(p + 2) & 0xFFFF;
        int questions = in.getShort(p + 4) & 0xFFFF;
        int answers = in.getShort(p + 6) & 0xFFFF;
        if ((flags & 0x8000) == 0 || (flags & 0x000F) != 0 || answers == 0) {
            return -1;
        }
        int q = p + HEADER;
        for (int i = 0; i < questions; i++) {
            q = skipName(in, q, end);
            if (q < 0 || q + 4 > end) {
                return -1;
            }
            q += 4;
        }
        for (int i = 0; i < answers; i++) {
            q = skipName(in, q, end);
            if (q < 0 || q + ANSWER_FIXED - 2 > end) {
                return -1;
            }
            int type = in.getShort(q) & 0xFFFF;
            int length = in.getShort(q + 8) & 0xFFFF;
            q += ANSWER_FIXED - 2;
            if (q + length > end) {
                return -1;
            }
            if (type == TYPE_TXT) {
                // The character-strings' bytes, moved forward to the message's start.
                int r = q;
                int w = p;
                while (r < q + length) {
                    int chunk = in.get(r++) & 0xFF;
                    if (r + chunk > q + length) {
                        return -1;
                    }
                    for (int k = 0; k < chunk; k++) {
                        in.put(w++, in.get(r++));
                    }
                }
                in.limit(w).position(p);
                return id;
            }
            q += length;
        }
        return -1;
    }

    /** The position after the name at {@code q} (labels, or labels ending in a compression pointer), or -1. */
    private static int skipName(ByteBuffer in, int q, int end) {
        for (int seen = 0; seen <= MAX_NAME; ) {
            if (q >= end) {
                return -1;
            }
            int len = in.get(q) & 0xFF;
            if (len == 0) {
                return q + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return q + 2 <= end ? q + 2 : -1;
            }
            if (len > MAX_LABEL) {
                return -1;
            }
            q += 1 + len;
            seen += 1 + len;
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------

    private int queryNameLength(int frameBytes) {
        int chars = (frameBytes * 8 + 4) / 5;
        int labels = (chars + MAX_LABEL - 1) / MAX_LABEL;
        return chars + labels + domain.length;
    }

    private static int strings(int n) {
        return n == 0 ? 1 : (n + 254) / 255;
    }

    /** {@code t.rsock.example} as {@code 1 t 5 rsock 7 example 0}. */
    static byte[] wireName(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("dns.domain: empty name");
        }
        ByteBuffer b = ByteBuffer.allocate(MAX_NAME + 1);
        for (String label : trimmed.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > MAX_LABEL || !label.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("dns.domain: '" + name + "' is not a host name (labels of 1-63 letters, digits, '-')");
            }
            if (b.remaining() < l.length + 2) {
                throw new IllegalArgumentException("dns.domain: '" + name + "' is too long");
            }
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0);
        if (b.position() > 100) {
            throw new IllegalArgumentException("dns.domain: '" + name + "' leaves too little room for data; use at most ~100 characters");
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
