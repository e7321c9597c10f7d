package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parses and rebuilds a TCP conversation captured from the Linux kernel (see vectors/tcp-conversation.hex). */
class TcpCapturedTest {
    private static final Map<String, byte[]> P = Vectors.load("tcp-conversation.hex");
    private static final int CLIENT = 0x0AFA0001; // 10.250.0.1
    private static final int SERVER = 0x0AFA0002; // 10.250.0.2
    private static final int CPORT = 0xBBA8;      // 48040
    private static final int SPORT = 45678;
    private static final int CISN = 0x18B1C434;
    private static final int SISN = 0xC3D49A1D;
    private static final int PAD = 13;

    private static ByteBuffer pkt(String name) {
        return Vectors.at(P.get(name), PAD);
    }

    @Test
    void everyCapturedPacketHasKernelChecksumsWeAgreeWith() {
        assertEquals(10, P.size());
        for (Map.Entry<String, byte[]> e : P.entrySet()) {
            ByteBuffer b = Vectors.at(e.getValue(), PAD);
            assertTrue(Ipv4.isValidHeader(b, PAD), e.getKey());
            assertTrue(Checksum.verifyIpv4Header(b, PAD), e.getKey() + " IPv4 checksum");
            assertTrue(Checksum.verifyTransportIpv4(b, PAD), e.getKey() + " TCP checksum");
            int t = PAD + 20;
            int stored = Tcp.checksum(b, t);
            Tcp.setChecksum(b, t, 0);
            assertEquals(stored, Checksum.transportIpv4(b, PAD), e.getKey() + " recomputed TCP checksum");
            int ipStored = Ipv4.headerChecksum(b, PAD);
            Ipv4.fillHeaderChecksum(b, PAD);
            assertEquals(ipStored, Ipv4.headerChecksum(b, PAD), e.getKey() + " recomputed IPv4 checksum");
        }
    }

    @Test
    void corruptingAnyByteBreaksTheChecksum() {
        byte[] data = P.get("data_c2s");
        for (int i = 20; i < data.length; i++) {
            ByteBuffer b = Vectors.at(data, PAD);
            b.put(PAD + i, (byte) (b.get(PAD + i) ^ 0x40));
            assertFalse(Checksum.verifyTransportIpv4(b, PAD), "flipped byte " + i);
        }
    }

    @Test
    void syn() {
        ByteBuffer b = pkt("syn");
        assertEquals(6, Ipv4.protocol(b, PAD));
        assertEquals(64, Ipv4.ttl(b, PAD));
        assertEquals(Ipv4.DONT_FRAGMENT, Ipv4.flagsAndFragment(b, PAD));
        assertEquals(CLIENT, Ipv4.source(b, PAD));
        assertEquals(SERVER, Ipv4.destination(b, PAD));
        int t = PAD + 20;
        assertTrue(Tcp.isValidHeader(b, t, 40));
        assertEquals(CPORT, Tcp.sourcePort(b, t));
        assertEquals(SPORT, Tcp.destinationPort(b, t));
        assertEquals(CISN, Tcp.sequence(b, t));
        assertEquals(0, Tcp.acknowledgment(b, t));
        assertEquals(40, Tcp.headerLength(b, t));
        assertEquals(Tcp.SYN, Tcp.flags(b, t));
        assertEquals(64240, Tcp.window(b, t));
        assertEquals(0xEE4D, Tcp.checksum(b, t));
        assertEquals(0, Tcp.urgentPointer(b, t));
        assertEquals(1460, Tcp.mss(b, t));
        assertTrue(Tcp.sackPermitted(b, t));
        assertEquals(10, Tcp.windowScale(b, t));
        int ts = Tcp.findTimestamps(b, t);
        assertEquals(t + 26, ts, "timestamps after MSS and SACK-permitted");
        assertEquals(0xEA0613C4, Tcp.tsVal(b, ts));
        assertEquals(0, Tcp.tsEcr(b, ts));
        assertEquals(-1, Tcp.findOption(b, t, Tcp.OPT_SACK));
    }

    @Test
    void synAck() {
        ByteBuffer b = pkt("syn_ack");
        int t = PAD + 20;
        assertEquals(SPORT, Tcp.sourcePort(b, t));
        assertEquals(CPORT, Tcp.destinationPort(b, t));
        assertEquals(SISN, Tcp.sequence(b, t));
        assertEquals(CISN + 1, Tcp.acknowledgment(b, t));
        assertEquals(Tcp.SYN | Tcp.ACK, Tcp.flags(b, t));
        assertTrue(Tcp.hasFlags(b, t, Tcp.SYN | Tcp.ACK));
        assertEquals(65160, Tcp.window(b, t));
        assertEquals(1460, Tcp.mss(b, t));
        assertTrue(Tcp.sackPermitted(b, t));
        assertEquals(10, Tcp.windowScale(b, t));
        int ts = Tcp.findTimestamps(b, t);
        assertEquals(0xF2E6D35A, Tcp.tsVal(b, ts));
        assertEquals(0xEA0613C4, Tcp.tsEcr(b, ts), "echoes the SYN's TSval");
    }

    @Test
    void handshakeAckAndData() {
        ByteBuffer ack = pkt("ack");
        int t = PAD + 20;
        assertEquals(Tcp.ACK, Tcp.flags(ack, t));
        assertEquals(CISN + 1, Tcp.sequence(ack, t));
        assertEquals(SISN + 1, Tcp.acknowledgment(ack, t));
        assertEquals(32, Tcp.headerLength(ack, t));
        assertEquals(63, Tcp.window(ack, t), "scaled by 2^10 after the handshake");
        assertEquals(t + 22, Tcp.findTimestamps(ack, t), "Linux's NOP NOP TS layout");
        assertEquals(-1, Tcp.mss(ack, t));
        assertEquals(-1, Tcp.windowScale(ack, t));
        assertFalse(Tcp.sackPermitted(ack, t));

        ByteBuffer data = pkt("data_c2s");
        assertEquals(Tcp.ACK | Tcp.PSH, Tcp.flags(data, t));
        assertEquals(CISN + 1, Tcp.sequence(data, t));
        assertEquals(SISN + 1, Tcp.acknowledgment(data, t));
        int payload = t + Tcp.headerLength(data, t);
        int len = PAD + Ipv4.totalLength(data, PAD) - payload;
        assertEquals("hello rsock\n", text(data, payload, len));
        int ts = Tcp.findTimestamps(data, t);
        assertEquals(0xEA061429, Tcp.tsVal(data, ts));
        assertEquals(0xF2E6D35A, Tcp.tsEcr(data, ts));

        ByteBuffer reply = pkt("data_s2c");
        assertEquals(SISN + 1, Tcp.sequence(reply, t));
        assertEquals(CISN + 1 + 12, Tcp.acknowledgment(reply, t), "acks exactly the 12 bytes sent");
        int rp = t + Tcp.headerLength(reply, t);
        assertEquals("world\n", text(reply, rp, PAD + Ipv4.totalLength(reply, PAD) - rp));
    }

    @Test
    void finExchange() {
        int t = PAD + 20;
        ByteBuffer fin = pkt("fin_c2s");
        assertEquals(Tcp.FIN | Tcp.ACK, Tcp.flags(fin, t));
        assertEquals(CISN + 13, Tcp.sequence(fin, t));
        assertEquals(SISN + 7, Tcp.acknowledgment(fin, t));
        ByteBuffer finAck = pkt("fin_ack_s2c");
        assertEquals(Tcp.FIN | Tcp.ACK, Tcp.flags(finAck, t));
        assertEquals(CISN + 14, Tcp.acknowledgment(finAck, t), "FIN takes one sequence number");
        ByteBuffer last = pkt("last_ack_c2s");
        assertEquals(Tcp.ACK, Tcp.flags(last, t));
        assertEquals(CISN + 14, Tcp.sequence(last, t));
        assertEquals(SISN + 8, Tcp.acknowledgment(last, t));
    }

    @Test
    void rebuildingEveryPacketGivesTheKernelsBytes() {
        for (Map.Entry<String, byte[]> e : P.entrySet()) {
            byte[] orig = e.getValue();
            ByteBuffer in = ByteBuffer.wrap(orig);
            int t = 20;
            int hl = Tcp.headerLength(in, t);
            ByteBuffer out = ByteBuffer.allocate(1600);
            int opts = Ipv4TcpWriter.begin(out, 5, Ipv4.source(in, 0), Ipv4.destination(in, 0), Ipv4.identification(in, 0),
                    Tcp.sourcePort(in, t), Tcp.destinationPort(in, t), Tcp.sequence(in, t), Tcp.acknowledgment(in, t),
                    Tcp.flags(in, t), Tcp.window(in, t), hl - 20);
            int i = opts;
            if (Tcp.hasFlags(in, t, Tcp.SYN)) {
                int ts = Tcp.findTimestamps(in, t);
                i = Tcp.writeLinuxSynOptions(out, i, Tcp.mss(in, t), Tcp.tsVal(in, ts), Tcp.tsEcr(in, ts), Tcp.windowScale(in, t));
            } else {
                int ts = Tcp.findTimestamps(in, t);
                i = Tcp.writeAlignedTimestamps(out, i, Tcp.tsVal(in, ts), Tcp.tsEcr(in, ts));
            }
            assertEquals(opts + hl - 20, i, e.getKey() + " options length");
            int payload = orig.length - 20 - hl;
            out.put(i, orig, 20 + hl, payload);
            int total = Ipv4TcpWriter.finish(out, 5, payload);
            assertEquals(orig.length, total);
            byte[] built = new byte[total];
            out.get(5, built);
            assertArrayEquals(orig, built, e.getKey());
        }
    }

    @Test
    void writeCopiesThePayloadWithoutMovingIt() {
        ByteBuffer payload = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.US_ASCII)).position(2);
        ByteBuffer out = ByteBuffer.allocate(100);
        int n = Ipv4TcpWriter.write(out, 0, CLIENT, SERVER, 7, 1000, 2000, -5, 9, Tcp.ACK | Tcp.PSH, 65535, payload);
        assertEquals(45, n);
        assertEquals(2, payload.position());
        out.limit(n);
        assertTrue(Ipv4.isValidHeader(out, 0));
        assertTrue(Checksum.verifyIpv4Header(out, 0));
        assertTrue(Checksum.verifyTransportIpv4(out, 0));
        assertEquals(-5, Tcp.sequence(out, 20));
        assertEquals("hello", text(out, 40, 5));
        assertEquals(-1, Tcp.findTimestamps(out, 20));
    }

    @Test
    void malformedOptionsAreRefusedNotThrown() {
        ByteBuffer b = ByteBuffer.allocate(60);
        Tcp.setHeaderLength(b, 0, 28);
        b.put(20, (byte) Tcp.OPT_MSS).put(21, (byte) 0); // length 0: would loop forever if trusted
        assertEquals(-1, Tcp.mss(b, 0));
        b.put(21, (byte) 40); // runs past the header
        assertEquals(-1, Tcp.findOption(b, 0, Tcp.OPT_MSS));
        b.put(20, (byte) Tcp.OPT_NOP).put(21, (byte) Tcp.OPT_NOP).put(22, (byte) Tcp.OPT_TIMESTAMPS).put(23, (byte) 10);
        assertEquals(-1, Tcp.findTimestamps(b, 0), "aligned timestamps that do not fit the header");
        Arrays.fill(b.array(), 20, 28, (byte) Tcp.OPT_NOP);
        assertEquals(-1, Tcp.findOption(b, 0, Tcp.OPT_TIMESTAMPS));
        assertFalse(Tcp.isValidHeader(b, 0, 19));
        Tcp.setHeaderLength(b, 0, 60);
        assertFalse(Tcp.isValidHeader(b, 0, 40), "data offset past the segment");
    }

    private static String text(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return new String(out, StandardCharsets.US_ASCII);
    }
}
