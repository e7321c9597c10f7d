package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** UDP against a datagram captured from the kernel (vectors/udp-datagram.hex), and checksum arithmetic. */
class UdpAndChecksumTest {
    @Test
    void capturedDatagram() {
        byte[] raw = Vectors.load("udp-datagram.hex").get("udp");
        ByteBuffer b = Vectors.at(raw, 3);
        assertTrue(Ipv4.isValidHeader(b, 3));
        assertEquals(17, Ipv4.protocol(b, 3));
        assertTrue(Checksum.verifyIpv4Header(b, 3));
        int u = 3 + Ipv4.headerLength(b, 3);
        assertEquals(40001, Udp.sourcePort(b, u));
        assertEquals(45679, Udp.destinationPort(b, u));
        assertEquals(8 + 13, Udp.length(b, u));
        assertEquals(0x09F5, Udp.checksum(b, u));
        assertTrue(Checksum.verifyTransportIpv4(b, 3));
        byte[] payload = new byte[13];
        b.get(u + 8, payload);
        assertEquals("udp datagram\n", new String(payload, StandardCharsets.US_ASCII));

        Udp.setChecksum(b, u, 0x1234);
        assertFalse(Checksum.verifyTransportIpv4(b, 3));
        Udp.fillChecksumIpv4(b, 3);
        assertEquals(0x09F5, Udp.checksum(b, u), "recomputed as the kernel did");
    }

    @Test
    void udpSetters() {
        ByteBuffer b = ByteBuffer.allocate(8);
        Udp.setSourcePort(b, 0, 65535);
        Udp.setDestinationPort(b, 0, 1);
        Udp.setLength(b, 0, 8);
        Udp.setChecksum(b, 0, 0xBEEF);
        assertEquals(65535, Udp.sourcePort(b, 0));
        assertEquals(1, Udp.destinationPort(b, 0));
        assertEquals(8, Udp.length(b, 0));
        assertEquals(0xBEEF, Udp.checksum(b, 0));
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xDDF2, Checksum.sum(b, 0, 8, 0));
        assertEquals(~0xDDF2 & 0xFFFF, Checksum.compute(b, 0, 8));
    }

    @Test
    void chainedAndWordWiseSumsAgreeOnRandomData() {
        Random r = new Random(42);
        for (int n = 0; n < 300; n++) {
            byte[] d = new byte[r.nextInt(200)];
            r.nextBytes(d);
            ByteBuffer b = ByteBuffer.wrap(d);
            int split = d.length == 0 ? 0 : r.nextInt(d.length / 2 + 1) * 2; // even split keeps word alignment
            assertEquals(naive(d), Checksum.sum(b, split, d.length - split, Checksum.sum(b, 0, split, 0)), "length " + d.length);
        }
    }

    @Test
    void incrementalUpdateMatchesFullRecompute() {
        byte[] raw = Vectors.load("tcp-conversation.hex").get("data_c2s");
        ByteBuffer b = ByteBuffer.wrap(raw.clone());
        Random r = new Random(7);
        for (int i = 0; i < 100; i++) {
            int oldSeq = Tcp.sequence(b, 20);
            int newSeq = r.nextInt();
            int adjusted = Checksum.adjust32(Tcp.checksum(b, 20), oldSeq, newSeq);
            Tcp.setSequence(b, 20, newSeq);
            Tcp.setChecksum(b, 20, 0);
            int full = Checksum.transportIpv4(b, 0);
            // 0x0000 and 0xFFFF are the same one's-complement value.
            assertEquals(full % 0xFFFF, adjusted % 0xFFFF, "seq " + Integer.toHexString(newSeq));
            Tcp.setChecksum(b, 20, adjusted);
            assertTrue(Checksum.verifyTransportIpv4(b, 0));
        }
    }

    private static int naive(byte[] d) {
        long s = 0;
        for (int i = 0; i < d.length; i += 2) {
            int hi = d[i] & 0xFF;
            int lo = i + 1 < d.length ? d[i + 1] & 0xFF : 0;
            s += (hi << 8) | lo;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
