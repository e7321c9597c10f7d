package io.rsock.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.capture.Demultiplexer;
import io.rsock.packet.lab.Packets;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Path MTU from routers' "too big" messages, through the demultiplexer as the capture hands them:
 * only about a packet of ours of a registered flow, only lower, never below the family's floor, and
 * only for a while.
 */
class PathMtuTableTest {
    static final String US = "10.0.0.1";
    static final String PEER = "10.0.2.2";
    static final String US6 = "fd00:201:1::2";
    static final String PEER6 = "fd00:201:2::2";

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final Demultiplexer demux = new Demultiplexer();
    final PathMtuTable table = new PathMtuTable(1500, Set.of(Packets.inet(US), address(US6))::contains, demux, clock::get);

    {
        demux.onTooBig(table);
        demux.add(PacketFilter.tcp(40000, address(PEER6), 10001), p -> { });
        demux.add(PacketFilter.tcp(40001, Packets.inet(PEER), 10001), p -> { });
        demux.add(new PacketFilter(PacketFilter.ICMPV6, 4660, address(PEER6), 0), p -> { });
    }

    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void deliver(ByteBuffer message) {
        assertEquals(Demultiplexer.DELIVERED, demux.dispatch(message, 0));
    }

    @Test
    void aRouterLowersThePathOfOurFlowOfEitherFamily() {
        assertEquals(1500, table.pathMtu(address(PEER6)));
        deliver(Packets.tooBig("fd00:201:2::1", Packets.tcp(US6, 40000, PEER6, 10001, "x".repeat(1400)), 1400));
        assertEquals(1400, table.pathMtu(address(PEER6)));
        assertEquals(1500, table.pathMtu(address("fd00:201:2::3")), "another destination");
        deliver(Packets.tooBig("10.0.2.1", Packets.tcp(US, 40001, PEER, 10001, "y".repeat(1400)), 1300));
        assertEquals(1300, table.pathMtu(address(PEER)));
        deliver(Packets.tooBig("fd00:201:2::1", Packets.echo(US6, PEER6, 4660, true), 1350));
        assertEquals(1350, table.pathMtu(address(PEER6)), "an echo flow of ours");
        assertEquals(3, table.accepted());
    }

    @Test
    void onlyLowerNeverBelowTheFloorAndForAWhile() {
        ByteBuffer ours = Packets.tcp(US6, 40000, PEER6, 10001, "x");
        deliver(Packets.tooBig("fd00:201:2::1", ours, 1400));
        deliver(Packets.tooBig("fd00:201:2::1", ours, 1450));
        assertEquals(1400, table.pathMtu(address(PEER6)), "a larger MTU is not taken while the smaller lasts");
        deliver(Packets.tooBig("fd00:201:2::1", ours, 600));
        assertEquals(1280, table.pathMtu(address(PEER6)), "IPv6 never goes below 1 280");
        deliver(Packets.tooBig("10.0.2.1", Packets.tcp(US, 40001, PEER, 10001, "x"), 68));
        assertEquals(552, table.pathMtu(address(PEER)), "IPv4 never below Linux's min_pmtu");
        clock.addAndGet(TimeUnit.MINUTES.toNanos(PathMtuTable.EXPIRE_MINUTES));
        assertEquals(1500, table.pathMtu(address(PEER6)), "expired: the device's again");
    }

    @Test
    void messagesNotAboutAFlowOfOursAreRefused() {
        deliver(Packets.tooBig("fd00:201:2::1", Packets.tcp("fd00:201:1::9", 40000, PEER6, 10001, "x"), 1280));
        deliver(Packets.tooBig("fd00:201:2::1", Packets.tcp(US6, 40002, PEER6, 10001, "x"), 1280));
        deliver(Packets.tooBig("fd00:201:2::1", Packets.tcp(US6, 40000, "fd00:201:2::9", 10001, "x"), 1280));
        deliver(Packets.tooBig("fd00:201:2::1", Packets.echo(US6, PEER6, 4661, true), 1280));
        ByteBuffer corrupt = Packets.tooBig("fd00:201:2::1", Packets.tcp(US6, 40000, PEER6, 10001, "x"), 1280);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
        deliver(corrupt);
        assertEquals(1500, table.pathMtu(address(PEER6)));
        assertEquals(5, table.refused());
        assertEquals(0, table.accepted());
    }
}
