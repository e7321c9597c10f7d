package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPv6 against packets the Linux kernel sent (vectors/tcp6-conversation.hex, icmp6-echo.hex,
 * udp6-datagram.hex): the decoders read them, the checksums over the IPv6 pseudo-header agree with
 * the kernel's, and the builders reproduce them byte for byte.
 */
class Ipv6CapturedTest {
    private static final Map<String, byte[]> TCP = Vectors.load("tcp6-conversation.hex");
    private static final Map<String, byte[]> PING = Vectors.load("icmp6-echo.hex");
    private static final Map<String, byte[]> UDP = Vectors.load("udp6-datagram.hex");
    private static final IpAddress CLIENT = address("fd00:250::1");
    private static final IpAddress SERVER = address("fd00:250::2");
    private static final int PAD = 11;

    private static IpAddress address(String text) {
        try {
            return IpAddress.of(InetAddress.getByName(text));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyCapturedSegmentHasTheKernelsChecksumOverThePseudoHeader() {
        assertEquals(11, TCP.size());
        for (Map.Entry<String, byte[]> e : TCP.entrySet()) {
            ByteBuffer b = Vectors.at(e.getValue(), PAD);
            String name = e.getKey();
            assertTrue(Ip.isValidHeader(b, PAD), name);
            assertEquals(6, Ip.version(b, PAD), name);
            assertEquals(40, Ip.headerLength(b, PAD), name);
            assertEquals(e.getValue().length, Ip.totalLength(b, PAD), name);
            assertEquals(6, Ip.protocol(b, PAD), name);
            assertFalse(Ip.isFragment(b, PAD), name);
            assertEquals(64, Ipv6.hopLimit(b, PAD), name);
            assertEquals(0, Checksum.transport(b, PAD), name + " TCP checksum");
            int t = PAD + 40;
            int stored = Tcp.checksum(b, t);
            Tcp.setChecksum(b, t, 0);
            assertEquals(stored, Checksum.transport(b, PAD), name + " recomputed");
        }
    }

    @Test
    void corruptingAnAddressOrTheSegmentBreaksTheChecksum() {
        byte[] data = TCP.get("client_data");
        for (int i = 8; i < data.length; i++) {
            ByteBuffer b = Vectors.at(data, PAD);
            b.put(PAD + i, (byte) (b.get(PAD + i) ^ 0x20));
            assertTrue(Checksum.transport(b, PAD) != 0, "flipped byte " + i);
        }
    }

    @Test
    void addressesReadFromThePacketWithoutAllocating() {
        ByteBuffer b = Vectors.at(TCP.get("syn"), PAD);
        assertEquals(CLIENT, IpAddress.source(b, PAD));
        assertEquals(SERVER, IpAddress.destination(b, PAD));
        assertEquals(CLIENT.high(), IpAddress.sourceHigh(b, PAD));
        assertEquals(CLIENT.low(), IpAddress.sourceLow(b, PAD));
        assertTrue(CLIENT.isSourceOf(b, PAD));
        assertFalse(SERVER.isSourceOf(b, PAD));
        assertFalse(IpAddress.v4(0x0AFA0001).isSourceOf(b, PAD), "an IPv4 address is never an IPv6 packet's source");
        int len = Ip.transportLength(b, PAD);
        int fromAddresses = Checksum.fold((long) CLIENT.checksumPart() + SERVER.checksumPart() + 6 + len);
        assertEquals(Checksum.pseudoHeaderIpv6(b, PAD, 6, len), fromAddresses);
        assertEquals(0x64017, Ipv6.flowLabel(b, PAD));
    }

    @Test
    void theWriterRebuildsTheKernelsSynAndDataSegment() {
        ByteBuffer syn = Vectors.at(TCP.get("syn"), PAD);
        int t = PAD + 40;
        int tsVal = Tcp.tsVal(syn, Tcp.findTimestamps(syn, t));
        ByteBuffer out = ByteBuffer.allocate(200);
        int o = IpTcpWriter.begin(out, 5, CLIENT, SERVER, 0x64017, Tcp.sourcePort(syn, t), 45678, Tcp.sequence(syn, t), 0,
                Tcp.SYN, Tcp.window(syn, t), Tcp.LINUX_SYN_OPTIONS_LENGTH);
        Tcp.writeLinuxSynOptions(out, o, 1440, tsVal, 0, 10);
        int n = IpTcpWriter.finish(out, 5, 0);
        assertArrayEquals(TCP.get("syn"), bytes(out, 5, n), "the kernel's SYN");

        byte[] raw = TCP.get("client_data");
        ByteBuffer d = Vectors.at(raw, 0);
        int dt = 40;
        int ts = Tcp.findTimestamps(d, dt);
        o = IpTcpWriter.begin(out.clear(), 0, CLIENT, SERVER, 0x64017, Tcp.sourcePort(d, dt), 45678, Tcp.sequence(d, dt),
                Tcp.acknowledgment(d, dt), Tcp.ACK | Tcp.PSH, Tcp.window(d, dt), Tcp.ALIGNED_TIMESTAMPS_LENGTH);
        o = Tcp.writeAlignedTimestamps(out, o, Tcp.tsVal(d, ts), Tcp.tsEcr(d, ts));
        out.put(o, raw, 72, raw.length - 72);
        n = IpTcpWriter.finish(out, 0, raw.length - 72);
        assertArrayEquals(raw, bytes(out, 0, n), "the kernel's data segment");
    }

    @Test
    void pingOverIpv6AndTheKernelsReply() {
        for (String name : new String[] {"request", "reply"}) {
            ByteBuffer b = Vectors.at(PING.get(name), PAD);
            assertTrue(Icmp.isValid(b, PAD), name);
            assertTrue(Icmp.verifyPacketChecksum(b, PAD), name);
            int i = PAD + 40;
            assertEquals(name.equals("request") ? Icmp.ECHO_REQUEST_V6 : Icmp.ECHO_REPLY_V6, Icmp.type(b, i));
            assertEquals(0x1615, Icmp.identifier(b, i));
            assertEquals(1, Icmp.sequence(b, i));
            b.put(PAD + 50, (byte) (b.get(PAD + 50) ^ 1));
            assertFalse(Icmp.verifyPacketChecksum(b, PAD), name + " corrupted");
        }
    }

    @Test
    void theEchoBuilderReproducesPingAndTheKernel() {
        byte[] request = PING.get("request");
        byte[] reply = PING.get("reply");
        ByteBuffer data = ByteBuffer.wrap(request, 48, request.length - 48);
        ByteBuffer out = ByteBuffer.allocate(200);
        int n = Icmp.writeEcho(out, 7, CLIENT, SERVER, Ipv6.flowLabel(ByteBuffer.wrap(request), 0), true, 0x1615, 1, data);
        assertArrayEquals(request, bytes(out, 7, n), "ping's request");
        assertEquals(48, data.position(), "data untouched");
        n = Icmp.writeEcho(out.clear(), 0, SERVER, CLIENT, Ipv6.flowLabel(ByteBuffer.wrap(reply), 0), false, 0x1615, 1, data);
        assertArrayEquals(reply, bytes(out, 0, n), "the kernel's reply");
    }

    @Test
    void udpChecksumOverIpv6() {
        byte[] raw = UDP.get("datagram");
        ByteBuffer b = Vectors.at(raw, PAD);
        assertEquals(0, Checksum.transport(b, PAD));
        int stored = Udp.checksum(b, PAD + 40);
        Udp.setChecksum(b, PAD + 40, 0x1111);
        Udp.fillChecksum(b, PAD);
        assertEquals(stored, Udp.checksum(b, PAD + 40));
    }

    @Test
    void headersThatAreNotWholeOrNotRealAreRefused() {
        byte[] raw = TCP.get("client_data");
        assertFalse(Ip.isValidHeader(Vectors.at(raw, 0).limit(raw.length - 1), 0), "payload beyond the buffer");
        assertFalse(Ip.isValidHeader(Vectors.at(raw, 0).limit(39), 0), "shorter than the header");
        ByteBuffer mapped = Vectors.at(raw, 0);
        mapped.putLong(8, 0).putLong(16, 0x0000_FFFF_0AFA_0001L);
        assertFalse(Ip.isValidHeader(mapped, 0), "an IPv4-mapped source never comes off a wire");
        ByteBuffer fragment = Vectors.at(raw, 0);
        fragment.put(6, (byte) Ipv6.FRAGMENT);
        assertTrue(Ip.isValidHeader(fragment, 0));
        assertTrue(Ip.isFragment(fragment, 0));
        assertFalse(Ip.isValidHeader(ByteBuffer.allocate(0), 0));
    }

    @Test
    void addressesOfBothFamiliesAreDistinctKeys() throws Exception {
        IpAddress v4 = IpAddress.of(InetAddress.getByName("10.250.0.1"));
        assertFalse(v4.isV6());
        assertEquals(0x0AFA0001, v4.v4());
        assertEquals("10.250.0.1", v4.toString());
        assertEquals(v4, IpAddress.v4(0x0AFA0001));
        assertFalse(v4.equals(IpAddress.v6(v4.high(), v4.low())), "same bits, other family");
        assertEquals(InetAddress.getByName("fd00:250::1"), CLIENT.toInetAddress());
        assertEquals(CLIENT, IpAddress.of(CLIENT.toInetAddress()));
        assertEquals(16, CLIENT.length());
        assertEquals(60, IpTcpWriter.headers(CLIENT));
        assertEquals(40, IpTcpWriter.headers(v4));
    }

    private static byte[] bytes(ByteBuffer b, int off, int n) {
        byte[] out = new byte[n];
        b.get(off, out);
        return out;
    }
}
