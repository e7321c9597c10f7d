package io.rsock.transport.faketcp;

import static io.rsock.transport.faketcp.Wire.CLIENT;
import static io.rsock.transport.faketcp.Wire.CPORT;
import static io.rsock.transport.faketcp.Wire.MTU;
import static io.rsock.transport.faketcp.Wire.SERVER;
import static io.rsock.transport.faketcp.Wire.SPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two endpoints exchange 10 000 frames through a path with loss and reordering on both sides of a
 * stateful firewall, the {@link ConntrackModel}, which must accept every segment they emit.
 * Deterministic: a manual millisecond clock and seeded randomness. The ISNs sit just below the
 * 2^32 wrap so that the exchange crosses it.
 */
class ConntrackSimulationTest {
    private static final int FRAMES = 10_000;

    /** A packet in flight: when it reaches its next hop, and whether that hop is the firewall. */
    private record InFlight(long at, long order, ByteBuffer packet, boolean toFirewall, boolean toServer) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everySegmentPassesConntrackDespiteLossAndReordering(long seed) {
        Random r = new Random(seed);
        FakeTcpOptions opts = FakeTcpOptions.defaults();
        ByteBuffer out = ByteBuffer.allocate(MTU);
        ConntrackModel ct = new ConntrackModel();
        PriorityQueue<InFlight> path = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        long[] order = {0};
        long now = 0;

        TcpEndpoint client = TcpEndpoint.connect(opts, MTU, CLIENT, CPORT, SERVER, SPORT, 0xFFFF_0000 + r.nextInt(0x8000),
                r.nextInt(), 1, now);
        TcpEndpoint[] server = {null};
        int[] delivered = new int[2];
        int[] refused = new int[2];
        int[] sent = new int[2];
        ByteBuffer frame = ByteBuffer.allocate(1200);

        java.util.function.BiConsumer<Integer, Boolean> emit = (len, fromClient) -> {
            ByteBuffer p = Wire.take(out, len);
            double loss = r.nextDouble();
            if (loss < 0.03) {
                return; // lost before the firewall: it never sees it
            }
            path.add(new InFlight(0, order[0]++, p, true, fromClient));
        };

        emit.accept(client.writeSyn(out, now), true);
        int nextFrame = 0;
        for (now = 0; now < 200_000 && (nextFrame < FRAMES || !path.isEmpty()); now++) {
            // Time on the path is set on entry: 0-4 ms to the firewall, 0-4 ms to the receiver.
            java.util.List<InFlight> due = new java.util.ArrayList<>();
            java.util.List<InFlight> entering = new java.util.ArrayList<>();
            for (InFlight f : path) {
                if (f.at == 0) {
                    entering.add(f);
                }
            }
            for (InFlight f : entering) {
                path.remove(f);
                path.add(new InFlight(now + r.nextInt(5), f.order, f.packet, true, f.toServer));
            }
            while (!path.isEmpty() && path.peek().at <= now && path.peek().at != 0) {
                due.add(path.poll());
            }
            for (InFlight f : due) {
                if (f.toFirewall) {
                    ct.observe(f.packet);
                    if (r.nextDouble() < 0.03) {
                        continue; // lost after the firewall
                    }
                    path.add(new InFlight(now + r.nextInt(5), order[0]++, f.packet, false, f.toServer));
                    continue;
                }
                TcpEndpoint to;
                if (f.toServer) {
                    if (server[0] == null) {
                        server[0] = TcpEndpoint.accept(opts, MTU, f.packet, 0, 0xFFFF_FF00 + r.nextInt(0x80), r.nextInt(), 1, now);
                        emit.accept(server[0].writeSynAck(out, now), false);
                        continue;
                    }
                    to = server[0];
                } else {
                    to = client;
                }
                Segment seg = to.onSegment(f.packet, 0, now);
                assertTrue(seg != Segment.BAD_ACK && seg != Segment.OUT_OF_WINDOW
                        && seg != Segment.RESET && seg != Segment.FIN, "refused its peer's segment: " + seg);
                if (seg == Segment.DATA) {
                    to.acceptPayload(); // the host found the frames authentic
                    delivered[f.toServer ? 0 : 1]++;
                }
                if (to.reply() != Reply.NONE) {
                    emit.accept(to.writeReply(out, now), to == client);
                }
                // The server echoes every other frame it gets.
                if (to == server[0] && seg == Segment.DATA && r.nextBoolean()) {
                    send(to, frame, out, now, emit, false, refused, sent);
                }
            }
            if (client.state() == TcpEndpoint.State.ESTABLISHED && nextFrame < FRAMES) {
                send(client, frame, out, now, emit, true, refused, sent);
                nextFrame++;
            }
            for (TcpEndpoint e : new TcpEndpoint[] {client, server[0]}) {
                if (e != null && e.tick(out, now, true) == TcpEndpoint.TICK_SEND) {
                    emit.accept(e.lastLength(), e == client);
                }
            }
        }
        assertEquals(FRAMES, nextFrame, "the client sent every frame");
        assertEquals(0, refused[0], "the client never hit the server's window");
        assertTrue(delivered[0] > FRAMES * 0.9, "frames at the server: " + delivered[0]);
        assertTrue(delivered[1] > sent[1] * 0.9, "echoes at the client: " + delivered[1] + " of " + sent[1]);
        assertTrue(ct.checked() > FRAMES, "conntrack judged " + ct.checked() + " segments");
        assertTrue(Integer.compareUnsigned(client.sndNxt(), 0x1000_0000) < 0, "the client's sequence space wrapped");
        assertEquals(TcpEndpoint.State.ESTABLISHED, client.state());
    }

    /** The model is worth something only if it refuses what conntrack refuses. */
    @Test
    void theModelRejectsWhatConntrackRejects() {
        FakeTcpOptions opts = FakeTcpOptions.defaults();
        ByteBuffer out = ByteBuffer.allocate(MTU);
        TcpEndpoint client = TcpEndpoint.connect(opts, MTU, CLIENT, CPORT, SERVER, SPORT, 1000, 0, 1, 0);
        ConntrackModel ct = new ConntrackModel();
        ByteBuffer syn = Wire.take(out, client.writeSyn(out, 0));
        ct.observe(syn);
        TcpEndpoint server = TcpEndpoint.accept(opts, MTU, syn, 0, 0x8000_0000, 0, 1, 0); // ISNs far apart, as random ones are
        ByteBuffer synAck = Wire.take(out, server.writeSynAck(out, 0));
        ct.observe(synAck);
        client.onSegment(synAck, 0, 0);
        ct.observe(Wire.take(out, client.writeReply(out, 0)));
        ByteBuffer data = Wire.take(out, client.writeData(out, ByteBuffer.allocate(100), 0));
        ct.observe(data);
        // Acking what the server never sent (the original rsock's mistake).
        assertThrows(AssertionError.class, () -> ct.observe(forge(data, Wire.seq(data) + 100, 0x8000_0000 + 50)));
        // Data far beyond the server's window.
        assertThrows(AssertionError.class, () -> ct.observe(forge(data, Wire.seq(data) + 70_000, 0x8000_0001)));
        // Off by one and acknowledging its own sequence space: the original's data segment.
        assertThrows(AssertionError.class, () -> ct.observe(forge(data, Wire.seq(data) + 100, Wire.seq(data) + 100)));
        ct.observe(forge(data, Wire.seq(data) + 100, 0x8000_0001)); // the right next segment passes
    }

    private static ByteBuffer forge(ByteBuffer p, int seq, int ack) {
        ByteBuffer c = ByteBuffer.allocate(p.limit());
        c.put(0, p, 0, p.limit());
        Tcp.setSequence(c, 20, seq);
        Tcp.setAcknowledgment(c, 20, ack);
        Ipv4TcpWriter.finish(c, 0, Wire.payloadLength(c));
        return c;
    }

    private static void send(TcpEndpoint e, ByteBuffer frame, ByteBuffer out, long now,
            java.util.function.BiConsumer<Integer, Boolean> emit, boolean fromClient, int[] refused, int[] sent) {
        frame.clear();
        frame.putLong(0, now);
        int n = e.writeData(out, frame, now);
        if (n < 0) {
            refused[fromClient ? 0 : 1]++;
            return;
        }
        sent[fromClient ? 0 : 1]++;
        emit.accept(n, fromClient);
    }
}
