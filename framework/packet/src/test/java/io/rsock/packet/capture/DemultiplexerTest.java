package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ip;
import io.rsock.api.codec.Tcp;
import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.PathMtuTable;
import io.rsock.packet.lab.Packets;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which registration a captured packet goes to. */
class DemultiplexerTest {
    static final String US = "10.0.0.1";
    static final String PEER = "10.0.0.2";
    static final String OTHER = "10.0.0.3";

    final Demultiplexer demux = new Demultiplexer();
    final List<String> got = new ArrayList<>();

    private void register(String name, PacketFilter filter) {
        demux.add(filter, p -> got.add(name + ":" + Tcp.sourcePort(p, p.position() + Ip.headerLength(p, p.position()))));
    }

    @Test
    void mostSpecificRegistrationWinsWhateverTheOrder() {
        register("port", PacketFilter.tcpTo(10001));
        register("flow", PacketFilter.tcp(10001, Packets.inet(PEER), 443));
        register("peer", new PacketFilter(PacketFilter.TCP, 10001, Packets.inet(PEER), 0));

        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp(PEER, 443, US, 10001, "x"), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp(PEER, 444, US, 10001, "x"), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp(OTHER, 443, US, 10001, "x"), 0));
        assertEquals(List.of("flow:443", "peer:444", "port:443"), got);
        assertEquals(List.of(PacketFilter.tcp(10001, Packets.inet(PEER), 443),
                new PacketFilter(PacketFilter.TCP, 10001, Packets.inet(PEER), 0), PacketFilter.tcpTo(10001)), demux.filters());
    }

    @Test
    void amongEquallySpecificTheFirstRegisteredWins() {
        register("first", new PacketFilter(PacketFilter.TCP, 10001, null, 0));
        register("second", new PacketFilter(PacketFilter.TCP, 0, Packets.inet(PEER), 0));
        demux.dispatch(Packets.tcp(PEER, 1, US, 10001, "x"), 0);
        assertEquals(List.of("first:1"), got);
    }

    @Test
    void unmatchedPacketsAreCountedAsSuchNotDelivered() {
        register("port", PacketFilter.tcpTo(10001));
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.tcp(PEER, 443, US, 10002, "x"), 0));
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.udp(PEER, 443, US, 10001, "x"), 0));
        assertTrue(got.isEmpty());
    }

    @Test
    void theReceiverSeesExactlyTheIpPacketEvenBehindALinkHeader() {
        ByteBuffer ip = Packets.udp(PEER, 7, US, 5000, "hello");
        ByteBuffer frame = ByteBuffer.allocate(14 + ip.remaining() + 4); // Ethernet header before, padding after
        frame.put(14, ip, 0, ip.remaining());
        List<Integer> seen = new ArrayList<>();
        demux.add(new PacketFilter(PacketFilter.UDP, 5000, null, 0), p -> seen.addAll(List.of(p.position(), p.limit())));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(frame, 14));
        assertEquals(List.of(14, 14 + ip.remaining()), seen);
    }

    @Test
    void icmpIsMatchedByEchoIdentifierOnlyInEchoes() {
        List<Integer> seen = new ArrayList<>();
        demux.add(new PacketFilter(PacketFilter.ICMP, 0x1234, Packets.inet(PEER), 99), p -> seen.add(p.get(p.position() + 20) & 0xFF));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.echoRequest(PEER, US, 0x1234, 8), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.echoRequest(PEER, US, 0x1234, 0), 0));
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.echoRequest(PEER, US, 0x1235, 8), 0));
        // Type 3 (unreachable) has no identifier: bytes 4-5 are unused, and must not be read as one.
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.echoRequest(PEER, US, 0x1234, 3), 0));
        assertEquals(List.of(8, 0), seen);
    }

    @Test
    void removalStopsDeliveryAndIsIdempotent() {
        Demultiplexer.Route route = demux.add(PacketFilter.tcpTo(10001), p -> got.add("r"));
        assertTrue(demux.remove(route));
        assertFalse(demux.remove(route));
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.tcp(PEER, 1, US, 10001, "x"), 0));
        assertTrue(demux.filters().isEmpty());
        demux.add(PacketFilter.tcpTo(10001), p -> got.add("again")); // the same filter may be registered again
        demux.dispatch(Packets.tcp(PEER, 1, US, 10001, "x"), 0);
        assertEquals(List.of("again"), got);
    }

    @Test
    void removingOneRouteLeavesTheOthers() {
        register("a", PacketFilter.tcpTo(1));
        Demultiplexer.Route b = demux.add(PacketFilter.tcpTo(2), p -> got.add("b"));
        register("c", PacketFilter.tcpTo(3));
        demux.remove(b);
        assertEquals(List.of(PacketFilter.tcpTo(1), PacketFilter.tcpTo(3)), demux.filters());
    }

    @Test
    void theSameFilterTwiceIsRefused() {
        register("a", PacketFilter.tcpTo(10001));
        assertThrows(IllegalStateException.class, () -> register("b", PacketFilter.tcpTo(10001)));
    }

    @Test
    void malformedInputIsNeverDeliveredNorThrows() {
        register("any", new PacketFilter(PacketFilter.TCP, 0, Packets.inet(PEER), 0));
        ByteBuffer good = Packets.tcp(PEER, 1, US, 2, "x");
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(good.duplicate().limit(19), 0), "shorter than a header");
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(good.duplicate().limit(good.limit() - 1), 0), "truncated");
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(good, -1), "no IPv4 in the frame");
        ByteBuffer fragment = Packets.tcp(PEER, 1, US, 2, "x");
        fragment.putShort(6, (short) 0x2000); // more fragments
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(fragment, 0));
        ByteBuffer tiny = Packets.other(PacketFilter.TCP, PEER, US).limit(22);
        tiny.putShort(2, (short) 22); // a TCP packet with 2 bytes of TCP header
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(tiny, 0));
        assertTrue(got.isEmpty());
    }

    static final String US6 = "fd00:201:2::2";
    static final String PEER6 = "fd00:201:1::2";

    @Test
    void ipv6FlowsMatchTheirPeerAndAPortFromAnyoneTakesBothFamilies() throws Exception {
        register("port", PacketFilter.tcpTo(10001));
        register("flow6", PacketFilter.tcp(10001, InetAddress.getByName(PEER6), 443));
        register("flow4", PacketFilter.tcp(10001, Packets.inet(PEER), 443));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp(PEER6, 443, US6, 10001, "x"), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp("fd00:201:1::3", 443, US6, 10001, "x"), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tcp(PEER, 443, US, 10001, "x"), 0));
        assertEquals(List.of("flow6:443", "port:443", "flow4:443"), got);
    }

    @Test
    void icmpv6EchoesGoByIdentifierAndIcmpv4OnesNeverToThem() throws Exception {
        List<String> echoes = new ArrayList<>();
        demux.add(new PacketFilter(PacketFilter.ICMPV6, 77, InetAddress.getByName(PEER6), 0), p -> echoes.add("v6"));
        demux.add(new PacketFilter(PacketFilter.ICMP, 77, null, 0), p -> echoes.add("v4"));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.echo(PEER6, US6, 77, false), 0));
        assertEquals(Demultiplexer.UNMATCHED, demux.dispatch(Packets.echo(PEER6, US6, 78, false), 0), "another identifier");
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.echo(PEER, US, 77, true), 0));
        assertEquals(List.of("v6", "v4"), echoes);
    }

    @Test
    void ipv6FragmentsAndTruncatedPacketsAreMalformed() {
        register("port", PacketFilter.tcpTo(10001));
        ByteBuffer fragment = Packets.tcp(PEER6, 1, US6, 10001, "x");
        fragment.put(6, (byte) 44);
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(fragment, 0));
        ByteBuffer cut = Packets.tcp(PEER6, 1, US6, 10001, "x");
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(cut.limit(cut.limit() - 1), 0));
        ByteBuffer mapped = Packets.tcp(PEER6, 1, US6, 10001, "x");
        mapped.putLong(8, 0).putLong(16, 0x0000_FFFF_0A00_0002L); // ::ffff:10.0.0.2 posing as an IPv4 peer
        assertEquals(Demultiplexer.MALFORMED, demux.dispatch(mapped, 0));
        assertTrue(got.isEmpty());
    }

    @Test
    void tooBigMessagesGoToTheirOwnReceiverWhateverIsRegistered() {
        List<String> tooBig = new ArrayList<>();
        demux.onTooBig(p -> tooBig.add(Ip.version(p, p.position()) == 6 ? "v6" : "v4"));
        register("icmp", new PacketFilter(PacketFilter.ICMP, 0, null, 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tooBig("fd00:201:2::1", Packets.tcp(US6, 1, PEER6, 2, "x"), 1280), 0));
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(Packets.tooBig("10.0.0.254", Packets.tcp(US, 1, PEER, 2, "x"), 1400), 0));
        assertEquals(List.of("v6", "v4"), tooBig);
        assertTrue(got.isEmpty(), "not the ICMP registration's");
    }

    /**
     * Hostile bytes of both families, shaped to reach every branch (valid and cut headers, TCP,
     * ICMP, ICMPv6 echoes and too-big messages quoting junk) through the demultiplexer and the path
     * MTU table: never an exception, every outcome one of the three, and what is delivered within
     * its packet.
     */
    @Test
    void randomPacketsOfBothFamiliesNeverBreakTheDispatchOrThePathMtuTable() throws Exception {
        PathMtuTable table = new PathMtuTable(1500, a -> true, demux, System::nanoTime);
        demux.onTooBig(table);
        demux.add(PacketFilter.tcpTo(10001), p -> assertTrue(p.limit() <= p.capacity() && p.position() < p.limit()));
        demux.add(new PacketFilter(PacketFilter.ICMPV6, 0, (InetAddress) null, 0), p -> { });
        demux.add(new PacketFilter(PacketFilter.ICMP, 0, (InetAddress) null, 0), p -> { });
        Random r = new Random(16);
        ByteBuffer[] seeds = {Packets.tcp(PEER6, 1, US6, 10001, "x".repeat(40)), Packets.tcp(PEER, 1, US, 10001, "y"),
            Packets.echo(PEER6, US6, 7, true), Packets.tooBig("fd00::1", Packets.tcp(US6, 1, PEER6, 2, "z"), 1280),
            Packets.tooBig("10.0.0.9", Packets.tcp(US, 1, PEER, 2, "z"), 1280)};
        int[] outcomes = new int[3];
        for (int i = 0; i < 200_000; i++) {
            ByteBuffer seed = seeds[r.nextInt(seeds.length)];
            byte[] b = new byte[seed.limit()];
            seed.get(0, b);
            for (int k = r.nextInt(6); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(); // flip a field anywhere, lengths and versions included
            }
            int len = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : b.length;
            ByteBuffer p = ByteBuffer.allocate(len + 3);
            p.put(3, b, 0, len);
            outcomes[demux.dispatch(p, 3)]++;
        }
        assertTrue(outcomes[Demultiplexer.DELIVERED] > 0 && outcomes[Demultiplexer.MALFORMED] > 0, Arrays.toString(outcomes));
        assertTrue(table.refused() > 0);
    }
}
