package io.rsock.packet.link;

import static io.rsock.packet.link.RecordedFrames.DATAGRAM;
import static io.rsock.packet.link.RecordedFrames.LOCAL;
import static io.rsock.packet.link.RecordedFrames.OUR_MAC;
import static io.rsock.packet.link.RecordedFrames.PEER;
import static io.rsock.packet.link.RecordedFrames.ROUTER;
import static io.rsock.packet.link.RecordedFrames.ROUTER_MAC;
import static io.rsock.packet.link.RecordedFrames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.codec.IpAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Next hops learned without the OS's tables, on recorded frames and a manual clock: from the
 * frames peers send, from the client's probe (also for other servers beyond the router), probed
 * again when what we send stops getting answers, never probed on the server.
 */
class LinkNeighboursTest {
    static final LocalLink LINK = new LocalLink(OUR_MAC, LOCAL, 24);
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final NextHopProbe.Found VIA_ROUTER = new NextHopProbe.Found(ROUTER_MAC, OUR_MAC, ROUTER, "the kernel's own frame");

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final List<Integer> probed = new CopyOnWriteArrayList<>();

    /** A client whose probes run at once on the sending thread and answer {@code answer}. */
    private LinkNeighbours client(Optional<NextHopProbe.Found> answer) {
        return new LinkNeighbours(LINK, destination -> {
            probed.add(destination.v4());
            return answer;
        }, clock::get, Runnable::run);
    }

    /** A frame from {@code source} (an IPv4 address) that came from {@code mac}: the recorded datagram, turned around. */
    private static ByteBuffer from(int source, long mac) {
        ByteBuffer f = frame(DATAGRAM);
        MacAddress.write(f, 6, mac);
        f.putInt(14 + 12, source);
        return f;
    }

    @Test
    void theServerLearnsEachClientFromItsFramesAndNeverProbes() {
        try (LinkNeighbours server = new LinkNeighbours(LINK, null, clock::get)) {
            assertEquals(MacAddress.NONE, server.macFor(PEER), "nothing heard yet: dropped");
            assertEquals(1, server.unknownDrops());
            server.heard(from(PEER, ROUTER_MAC), 14, clock.get());
            assertEquals(ROUTER_MAC, server.macFor(PEER));
            server.heard(from(LOCAL + 5, 0x0200_0000_0105L), 14, clock.get()); // a client on our own link
            assertEquals(0x0200_0000_0105L, server.macFor(LOCAL + 5));
            assertEquals(MacAddress.NONE, server.macFor(PEER + 1), "no router to guess from without a probe");
            assertEquals("02:00:00:00:01:01, learned from its own frames", server.describe(PEER));
        }
        assertEquals(List.of(), probed);
    }

    @Test
    void aFloodFromSpoofedSourcesDoesNotCostTheServerItsClient() {
        try (LinkNeighbours server = new LinkNeighbours(LINK, null, clock::get)) {
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < 200_000; i++) {
                server.heard(from(r.nextInt(), ROUTER_MAC), 14, clock.get()); // SYNs from made-up sources
                if (i % 1000 == 0) {
                    server.heard(from(PEER, 0x0200_0000_0107L), 14, clock.get());
                    assertEquals(0x0200_0000_0107L, server.macFor(PEER), "the client's reply goes where its packet came from");
                }
            }
        }
    }

    @Test
    void ourOwnFramesAndLinksWithoutEthernetTeachNothing() {
        try (LinkNeighbours server = new LinkNeighbours(LINK, null, clock::get)) {
            server.heard(from(PEER, OUR_MAC), 14, clock.get()); // Npcap shows our own frames too
            server.heard(frame(DATAGRAM), 4, clock.get()); // a 4-byte loopback header: no MAC there
            assertEquals(MacAddress.NONE, server.macFor(PEER));
        }
    }

    @Test
    void theProbesAnswerServesItsServerAndEveryDestinationBeyondTheRouter() {
        try (LinkNeighbours client = client(Optional.empty())) {
            client.learned(PEER, VIA_ROUTER);
            assertEquals(ROUTER_MAC, client.macFor(PEER));
            assertEquals(ROUTER_MAC, client.macFor(0x0a640001), "another server, beyond the router too");
            assertEquals("02:00:00:00:01:01, learned from the kernel's own frame", client.describe(PEER));
        }
    }

    /** Sends {@code n} packets to the peer. */
    private static void send(LinkNeighbours n, int packets) {
        for (int i = 0; i < packets; i++) {
            n.macFor(PEER);
        }
    }

    @Test
    void silenceWhileSendingProbesAgainWithBackoffAndAnAnswerStopsIt() {
        try (LinkNeighbours client = client(Optional.empty())) { // the probes find nothing
            client.learned(PEER, VIA_ROUTER);
            client.heard(from(PEER, ROUTER_MAC), 14, clock.get());
            send(client, 10);
            assertEquals(List.of(), probed, "answered recently");
            clock.addAndGet(4 * SECOND);
            send(client, 2);
            assertEquals(List.of(), probed, "two packets into the silence are no sign yet");
            send(client, 1);
            assertEquals(1, probed.size(), "the third is");
            clock.addAndGet(SECOND / 2);
            send(client, 5);
            assertEquals(1, probed.size(), "within the first second's backoff");
            clock.addAndGet(SECOND);
            send(client, 1);
            assertEquals(2, probed.size(), "after it");
            clock.addAndGet(SECOND);
            send(client, 5);
            assertEquals(2, probed.size(), "the backoff doubled to 2 s");
            clock.addAndGet(SECOND);
            send(client, 1);
            assertEquals(3, probed.size());
            client.heard(from(PEER, ROUTER_MAC), 14, clock.get()); // an answer: silence and backoff start over
            clock.addAndGet(2 * SECOND);
            send(client, 10);
            assertEquals(3, probed.size(), "answered recently");
            clock.addAndGet(2 * SECOND);
            send(client, 3);
            assertEquals(4, probed.size(), "silent again for over 3 s, and the backoff back at 1 s");
            assertEquals(ROUTER_MAC, client.macFor(PEER), "meanwhile frames still go to the last known next hop");
        }
    }

    @Test
    void aProbeThatFindsANewRouterMovesTheFramesThere() {
        NextHopProbe.Found moved = new NextHopProbe.Found(0x0200_0000_0199L, OUR_MAC, ROUTER, "the kernel's own frame");
        try (LinkNeighbours client = client(Optional.of(moved))) {
            client.learned(PEER, VIA_ROUTER);
            clock.addAndGet(4 * SECOND);
            send(client, 3);
            assertEquals(1, probed.size());
            assertEquals(0x0200_0000_0199L, client.macFor(PEER));
        }
    }

    @Test
    void aClientProbesAServerItKnowsNothingOf() {
        try (LinkNeighbours client = client(Optional.of(VIA_ROUTER))) {
            assertEquals(ROUTER_MAC, client.macFor(PEER), "probed before the first packet is addressed");
            assertEquals(List.of(PEER), probed);
        }
        try (LinkNeighbours client = client(Optional.empty())) {
            assertEquals(MacAddress.NONE, client.macFor(PEER), "dropped while nothing is found");
            assertEquals(1, client.unknownDrops());
        }
    }

    @Test
    void aChangedMacIsFollowed() {
        try (LinkNeighbours server = new LinkNeighbours(LINK, null, clock::get)) {
            server.heard(from(PEER, ROUTER_MAC), 14, clock.get());
            server.heard(from(PEER, 0x0200_0000_0199L), 14, clock.get()); // the router failed over
            assertEquals(0x0200_0000_0199L, server.macFor(PEER));
        }
    }

    /** An IPv6 frame from {@code source} that came from {@code mac}. */
    private static ByteBuffer from6(IpAddress source, long mac) {
        ByteBuffer f = ByteBuffer.allocate(14 + 48);
        MacAddress.write(f, 0, OUR_MAC);
        MacAddress.write(f, 6, mac);
        f.putShort(12, (short) 0x86DD);
        f.putInt(14, 0x6000_0000).putShort(18, (short) 8).put(20, (byte) 17).put(21, (byte) 64);
        source.write(f, 22);
        LOCAL6.write(f, 38);
        return f;
    }

    static final IpAddress LOCAL6 = IpAddress.v6(0xFD00_0201_0001_0000L, 2);
    static final IpAddress PEER6 = IpAddress.v6(0xFD00_0201_0002_0000L, 2);
    static final LocalLink LINK6 = new LocalLink(OUR_MAC, LOCAL, 24, LOCAL6, 64);

    @Test
    void ipv6ClientsAreLearnedFromTheirFramesAndFamiliesKeepTheirOwnRouter() {
        try (LinkNeighbours server = new LinkNeighbours(LINK6, null, clock::get)) {
            assertEquals(MacAddress.NONE, server.macFor(PEER6.high(), PEER6.low()));
            server.heard(from6(PEER6, ROUTER_MAC), 14, clock.get());
            assertEquals(ROUTER_MAC, server.macFor(PEER6.high(), PEER6.low()));
            assertEquals(MacAddress.NONE, server.macFor(PEER6.high(), PEER6.low() + 1), "another host: not heard from");
            assertEquals("02:00:00:00:01:01, learned from its own frames", server.describe(PEER6));
            assertEquals(MacAddress.NONE, server.macFor(PEER), "an IPv4 peer is not an IPv6 one");
        }
        List<IpAddress> asked = new CopyOnWriteArrayList<>();
        try (LinkNeighbours client = new LinkNeighbours(LINK6, destination -> {
            asked.add(destination);
            return Optional.of(VIA_ROUTER);
        }, clock::get, Runnable::run)) {
            assertEquals(ROUTER_MAC, client.macFor(PEER6.high(), PEER6.low()), "probed before the first packet is addressed");
            assertEquals(List.of(PEER6), asked);
            IpAddress other6 = IpAddress.v6(0x2001_0db8_0000_0000L, 7);
            assertEquals(ROUTER_MAC, client.macFor(other6.high(), other6.low()), "another IPv6 server beyond the router");
        }
    }

    @Test
    void anIpv6PrefixDecidesWhatIsOnTheLink() {
        assertEquals(true, LINK6.onLink(LOCAL6.high(), 99));
        assertEquals(false, LINK6.onLink(PEER6.high(), PEER6.low()));
        assertEquals(true, LINK6.onLink(0, IpAddress.v4Low(ROUTER)), "IPv4 by the IPv4 subnet");
        assertEquals(false, LINK.onLink(PEER6.high(), PEER6.low()), "no IPv6 address: nothing IPv6 is on the link");
        assertEquals(true, new LocalLink(OUR_MAC, LOCAL, 24, LOCAL6, 120).onLink(LOCAL6.high(), 0x7F));
        assertEquals(false, new LocalLink(OUR_MAC, LOCAL, 24, LOCAL6, 120).onLink(LOCAL6.high(), 0x1FF));
        assertEquals("fd00:201:2:0:0:0:0:2", LocalLink.format(PEER6.high(), PEER6.low()));
    }

    @Test
    void theSubnetDecidesWhatIsOnTheLink() {
        assertEquals(true, LINK.onLink(ROUTER));
        assertEquals(false, LINK.onLink(PEER));
        assertEquals(true, new LocalLink(OUR_MAC, LOCAL, 0).onLink(PEER));
        assertEquals(false, new LocalLink(OUR_MAC, LOCAL, 32).onLink(ROUTER));
        assertEquals("10.99.2.7", LocalLink.format(PEER));
    }
}
