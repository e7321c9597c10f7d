package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ICMP against a real ping and the kernel's reply (vectors/icmp-echo.hex), and the echo builder. */
class IcmpCapturedTest {
    private static final Map<String, byte[]> PING = Vectors.load("icmp-echo.hex");
    private static final int A = 0x0AFA0001;
    private static final int B = 0x0AFA0002;

    @Test
    void capturedRequestAndReply() {
        for (String name : new String[] {"request", "reply"}) {
            ByteBuffer b = Vectors.at(PING.get(name), 5);
            assertTrue(Icmp.isValidIpv4(b, 5), name);
            assertTrue(Checksum.verifyIpv4Header(b, 5), name);
            int i = 5 + Ipv4.headerLength(b, 5);
            int len = Ipv4.totalLength(b, 5) - 20;
            assertEquals(32, len);
            assertEquals(name.equals("request") ? Icmp.ECHO_REQUEST : Icmp.ECHO_REPLY, Icmp.type(b, i), name);
            assertEquals(0, Icmp.code(b, i));
            assertEquals(30873, Icmp.identifier(b, i));
            assertEquals(1, Icmp.sequence(b, i));
            assertTrue(Icmp.verifyChecksum(b, i, len), name);
            assertEquals(name.equals("request") ? 0xFEF3 : 0x06F4, Icmp.checksum(b, i));
            assertEquals(0x7273636B, b.getInt(i + 8 + 16), "ping's pattern after its timestamp");
        }
    }

    @Test
    void checksumRecomputedAsTheKernelDid() {
        ByteBuffer b = Vectors.at(PING.get("reply"), 0);
        Icmp.setChecksum(b, 20, 0x1234);
        assertFalse(Icmp.verifyChecksum(b, 20, 32));
        Icmp.fillChecksum(b, 20, 32);
        assertEquals(0x06F4, Icmp.checksum(b, 20));
    }

    @Test
    void builderReproducesTheCapturedRequest() {
        byte[] raw = PING.get("request");
        ByteBuffer data = ByteBuffer.wrap(raw, 28, raw.length - 28);
        ByteBuffer out = ByteBuffer.allocate(100);
        int n = Icmp.writeEcho(out, 3, A, B, 0x1596, Icmp.ECHO_REQUEST, 30873, 1, data);
        assertEquals(raw.length, n);
        byte[] built = new byte[n];
        out.get(3, built);
        assertArrayEquals(raw, built, "same bytes as iputils' ping and the kernel");
        assertEquals(28, data.position(), "data position untouched");
    }

    @Test
    void builderTurnsTheRequestIntoTheKernelsReplyButForDfAndIpId() {
        byte[] raw = PING.get("reply");
        ByteBuffer out = ByteBuffer.allocate(100);
        int d = Icmp.beginEcho(out, 0, B, A, 0x43B5, Icmp.ECHO_REPLY, 30873, 1);
        out.put(d, raw, 28, raw.length - 28);
        int n = Icmp.finishEcho(out, 0, raw.length - 28);
        ByteBuffer kernel = ByteBuffer.wrap(raw);
        assertEquals(Icmp.checksum(kernel, 20), Icmp.checksum(out, 20), "ICMP checksum as the kernel's");
        assertEquals(Ipv4.DONT_FRAGMENT, Ipv4.flagsAndFragment(out, 0), "ours sets DF (the kernel's reply does not)");
        assertTrue(Checksum.verifyIpv4Header(out, 0));
        assertEquals(n, Ipv4.totalLength(out, 0));
        assertTrue(Icmp.isValidIpv4(out.limit(n), 0));
    }

    @Test
    void emptyEchoAndSettersAndInvalidInput() {
        ByteBuffer out = ByteBuffer.allocate(64);
        int n = Icmp.writeEcho(out, 0, A, B, 1, Icmp.ECHO_REQUEST, 0xFFFF, 0xFFFF, ByteBuffer.allocate(0));
        assertEquals(28, n);
        assertEquals(0xFFFF, Icmp.identifier(out, 20));
        assertEquals(0xFFFF, Icmp.sequence(out, 20));
        assertTrue(Icmp.verifyChecksum(out, 20, 8));
        assertTrue(Icmp.isEcho(Icmp.ECHO_REPLY) && Icmp.isEcho(Icmp.ECHO_REQUEST) && !Icmp.isEcho(Icmp.TIME_EXCEEDED));
        out.limit(n);
        out.putShort(2, (short) 27); // ICMP header cut short
        assertFalse(Icmp.isValidIpv4(out, 0));
        out.putShort(2, (short) 28);
        out.putShort(6, (short) 0x2001); // a fragment
        assertFalse(Icmp.isValidIpv4(out, 0));
        out.putShort(6, (short) 0x4000);
        out.put(9, (byte) 6);
        assertFalse(Icmp.isValidIpv4(out, 0), "not ICMP");
    }
}
