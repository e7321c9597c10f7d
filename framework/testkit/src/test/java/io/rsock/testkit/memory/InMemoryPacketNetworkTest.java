package io.rsock.testkit.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.Registration;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryPacketNetworkTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private InMemoryPacketNetwork net;
    private Inet4Address clientAddr;
    private Inet4Address serverAddr;
    private PacketIO client;
    private PacketIO server;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void attach() throws Exception {
        net = new InMemoryPacketNetwork(64, 42);
        clientAddr = (Inet4Address) InetAddress.getByName("10.0.0.1");
        serverAddr = (Inet4Address) InetAddress.getByName("10.0.0.2");
        client = net.endpoint(clientAddr, 1500);
        server = net.endpoint(serverAddr, 1500);
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void deliversAPacketToTheRegistrationThatMatches() throws Exception {
        server.register(new PacketFilter(PacketFilter.UDP, 4000, clientAddr, 0), this::record);
        ByteBuffer p = udp(clientAddr, 5555, serverAddr, 4000, "hello");
        byte[] sent = bytes(p);

        assertTrue(client.send(p));
        assertTrue(net.awaitIdle(WAIT));

        assertEquals(1, received.size());
        assertArrayEquals(sent, received.get(0), "the whole IPv4 packet, as sent");
        assertEquals(0, p.position(), "send leaves the caller's buffer alone");
        assertEquals(1, net.deliveredCount());
        assertEquals(0, net.unmatchedCount());
        net.assertNoReceiverFailures();
    }

    @Test
    void theMostSpecificRegistrationWins() throws Exception {
        List<byte[]> wildcard = new CopyOnWriteArrayList<>();
        server.register(new PacketFilter(PacketFilter.UDP, 0, null, 0), p -> wildcard.add(bytes(p)));
        server.register(new PacketFilter(PacketFilter.UDP, 4000, clientAddr, 5555), this::record);

        client.send(udp(clientAddr, 5555, serverAddr, 4000, "specific"));
        client.send(udp(clientAddr, 6666, serverAddr, 4000, "other port"));
        assertTrue(net.awaitIdle(WAIT));

        assertEquals(1, received.size());
        assertEquals(1, wildcard.size());
    }

    @Test
    void packetsNobodyWantsAreCountedAndDropped() throws Exception {
        Registration r = server.register(PacketFilter.tcpTo(80), this::record);
        client.send(udp(clientAddr, 5555, serverAddr, 4000, "no UDP registration"));
        client.send(udp(clientAddr, 5555, (Inet4Address) InetAddress.getByName("10.9.9.9"), 80, "no such host"));
        r.close();
        r.close(); // idempotent
        assertTrue(net.awaitIdle(WAIT));

        assertTrue(received.isEmpty());
        assertEquals(2, net.unmatchedCount());
        assertEquals(0, net.deliveredCount());
    }

    @Test
    void refusesWhatIsNotIpv4OrOverTheMtu() throws Exception {
        PacketIO small = net.endpoint((Inet4Address) InetAddress.getByName("10.0.0.3"), 100);
        assertFalse(small.send(udp(clientAddr, 1, serverAddr, 2, "x".repeat(100))), "over the sender's MTU");
        assertFalse(client.send(ByteBuffer.wrap(new byte[] {1, 2, 3})), "not an IPv4 packet");
        assertEquals(2, net.refusedCount());
    }

    @Test
    void aMiddleboxCanDropOrRewrite() throws Exception {
        server.register(new PacketFilter(PacketFilter.UDP, 0, null, 0), this::record);
        net.middlebox(p -> {
            int ihl = (p.get(0) & 0x0F) * 4;
            int dstPort = p.getShort(ihl + 2) & 0xFFFF;
            if (dstPort == 9) {
                return null; // a firewall that drops port 9
            }
            p.putShort(ihl + 2, (short) 4001); // a NAT that remaps the rest
            return p;
        });

        client.send(udp(clientAddr, 5555, serverAddr, 9, "dropped"));
        client.send(udp(clientAddr, 5555, serverAddr, 4000, "rewritten"));
        assertTrue(net.awaitIdle(WAIT));

        assertEquals(1, net.droppedCount());
        assertEquals(1, received.size());
        ByteBuffer got = ByteBuffer.wrap(received.get(0));
        assertEquals(4001, got.getShort(20 + 2) & 0xFFFF);
    }

    @Test
    void lossAndDuplicationHooks() throws Exception {
        server.register(new PacketFilter(PacketFilter.UDP, 0, null, 0), this::record);
        net.dropNext(2);
        net.duplicateNext(1);
        for (int i = 0; i < 4; i++) {
            client.send(udp(clientAddr, 5555, serverAddr, 4000, "p" + i));
        }
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(2, net.droppedCount());
        assertEquals(3, received.size(), "two lost, one of the others twice");
    }

    @Test
    void aThrowingReceiverIsRecordedAndTheNetworkGoesOn() throws Exception {
        server.register(new PacketFilter(PacketFilter.UDP, 4000, null, 0), p -> {
            throw new IllegalStateException("boom");
        });
        server.register(new PacketFilter(PacketFilter.UDP, 4001, null, 0), this::record);
        client.send(udp(clientAddr, 5555, serverAddr, 4000, "throws"));
        client.send(udp(clientAddr, 5555, serverAddr, 4001, "after"));
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(1, received.size());
        assertEquals(1, net.receiverFailures().size());
    }

    private void record(ByteBuffer packet) {
        received.add(bytes(packet));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A minimal IPv4/UDP packet (checksums zero: the in-memory network does not check them). */
    static ByteBuffer udp(Inet4Address src, int srcPort, Inet4Address dst, int dstPort, String payload) {
        byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int total = 20 + 8 + data.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) PacketFilter.UDP).putShort((short) 0)
                .put(src.getAddress()).put(dst.getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + data.length)).putShort((short) 0);
        b.put(data).flip();
        return b;
    }
}
