package org.example.rsock.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire format: round trips at every size, the limits DNS sets, and what a query looks like. */
class DnsCodecTest {
    private final DnsCodec codec = new DnsCodec("t.rsock.example");

    @Test
    void queriesRoundTripAtEverySizeAndStayValidDns() {
        Random random = new Random(1);
        ByteBuffer msg = ByteBuffer.allocate(1024);
        for (int n = 0; n <= codec.maxQueryFrame(); n++) {
            byte[] frame = new byte[n];
            random.nextBytes(frame);
            codec.encodeQuery(msg.clear(), 0x1234, ByteBuffer.wrap(frame));
            assertTrue(nameLength(msg) <= 255, "name of " + nameLength(msg) + " bytes for a " + n + "-byte frame");
            assertEquals(0x1234, codec.decodeQuery(msg));
            assertArrayEquals(frame, remaining(msg), n + " bytes");
        }
        assertEquals(146, codec.maxQueryFrame(), "frame bytes in one query under t.rsock.example");
    }

    @Test
    void responsesRoundTripUpToAFullPacket() {
        int max = codec.maxResponseFrame(1472);
        Random random = new Random(2);
        ByteBuffer msg = ByteBuffer.allocate(1472);
        for (int n : new int[] {0, 1, 254, 255, 256, 510, 511, 1200, max}) {
            byte[] frame = new byte[n];
            random.nextBytes(frame);
            codec.encodeResponse(msg.clear(), 77, ByteBuffer.wrap(frame));
            assertTrue(msg.remaining() <= 1472, "fits a 1500-byte packet");
            assertEquals(77, codec.decodeResponse(msg));
            assertArrayEquals(frame, remaining(msg), n + " bytes");
        }
        assertTrue(max > 1400, "a response carries almost a packet: " + max);
    }

    @Test
    void aQueryReadsLikeOne() {
        ByteBuffer msg = ByteBuffer.allocate(512);
        codec.encodeQuery(msg.clear(), 1, ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        // header: id 1, RD, 1 question, 0 answers, 0 authority, 1 additional (EDNS0)
        assertEquals(0x0100, msg.getShort(2));
        assertEquals(1, msg.getShort(4));
        assertEquals(1, msg.getShort(10));
        // "hello" in base32 is nbswy3dp
        byte[] name = new byte[1 + 8 + 17];
        msg.get(12, name);
        assertEquals("\bnbswy3dp\u0001t\u0005rsock\u0007example\u0000", new String(name, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void upperCaseNamesDecodeToo() {
        ByteBuffer msg = ByteBuffer.allocate(512);
        codec.encodeQuery(msg.clear(), 1, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}));
        for (int i = 12; i < msg.limit(); i++) {
            byte b = msg.get(i);
            if (b >= 'a' && b <= 'z') {
                msg.put(i, (byte) (b - 32));
            }
        }
        assertEquals(1, codec.decodeQuery(msg));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, remaining(msg));
    }

    @Test
    void aQueryIsNotAResponseNorTheOtherWayRound() {
        ByteBuffer msg = ByteBuffer.allocate(1500);
        codec.encodeQuery(msg.clear(), 5, ByteBuffer.wrap(new byte[20]));
        assertEquals(-1, codec.decodeResponse(msg));
        codec.encodeResponse(msg.clear(), 5, ByteBuffer.wrap(new byte[20]));
        assertEquals(-1, codec.decodeQuery(msg));
        DnsCodec other = new DnsCodec("x.example.net");
        codec.encodeQuery(msg.clear(), 5, ByteBuffer.wrap(new byte[20]));
        assertEquals(-1, other.decodeQuery(msg), "a query under another domain");
    }

    @Test
    void badDomainsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new DnsCodec("bad_label.example"));
        assertThrows(IllegalArgumentException.class, () -> new DnsCodec(""));
        assertThrows(IllegalArgumentException.class, () -> new DnsCodec("a".repeat(64) + ".example"));
    }

    private static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static int nameLength(ByteBuffer msg) {
        int q = 12;
        while (msg.get(q) != 0) {
            q += 1 + msg.get(q);
        }
        return q + 1 - 12;
    }
}
