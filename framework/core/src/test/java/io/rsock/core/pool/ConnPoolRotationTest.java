package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which conns the pool's rotation gives each size to, from what their heartbeats and their data
 * say: a silent conn leaves at once, unless the conns still answering are the ones known to lose
 * that size (a stall of the capture thread silences every conn it receives for at the same time).
 */
class ConnPoolRotationTest {
    private static final long MS = 1_000_000L;
    private static final long HEARTBEAT = 500 * MS;
    private long now = 1_000 * MS;
    private final ConnPool pool = new ConnPool(null, new Backoff(100, 1000), (slot, conn, frames) -> { }, () -> now);
    private final List<PoolSlot> tcp = new ArrayList<>();
    private final List<PoolSlot> udp = new ArrayList<>();

    ConnPoolRotationTest() {
        for (int port = 10001; port <= 10004; port++) {
            tcp.add(pool.add(new OpenAtOnce("tcp"), new InetSocketAddress("10.0.0.1", port)));
            udp.add(pool.add(new OpenAtOnce("udp"), new InetSocketAddress("10.0.0.1", port)));
        }
        pool.start();
        for (PoolSlot s : pool.slots()) {
            answer(s);
        }
    }

    /** A heartbeat on {@code slot}, answered at once. */
    private void answer(PoolSlot slot) {
        int seq = slot.health().sent(now);
        slot.health().answered(seq, now, now + MS);
        pool.proven(slot);
    }

    /** Every large frame {@code slot} sends is lost, for a few reports. */
    private void losesLargeFrames(PoolSlot slot) {
        DeliveryWeights w = slot.delivery().outbound();
        for (int i = 0; i <= 8; i++) {
            w.report(DeliveryReport.of(0, 0, 40 * i, 0), DeliveryReport.of(0, 0, 0, 0), now + i * 250 * MS);
        }
    }

    private double largeShare(List<PoolSlot> slots) {
        double sum = 0;
        for (PoolSlot s : slots) {
            sum += pool.share(s, SizeClass.LARGE);
        }
        return sum;
    }

    @Test
    void aSilentPathLeavesTheRotationAtOnce() {
        now += HEARTBEAT; // the tcp conns fall silent: only the udp ones answer
        udp.forEach(this::answer);
        pool.checkHealth(now, HEARTBEAT);
        assertEquals(0, largeShare(tcp), 1e-9);
        assertEquals(1, largeShare(udp), 1e-9);
    }

    @Test
    void aMomentsSilenceDoesNotHandTheLargeFramesToTheConnsThatLoseThem() {
        udp.forEach(this::losesLargeFrames);
        pool.checkHealth(now, HEARTBEAT);
        assertTrue(largeShare(udp) < 0.01, "udp loses large frames: " + largeShare(udp));
        assertEquals(1.0 / 8, pool.share(udp.get(0), SizeClass.SMALL), 1e-9, "and keeps its part of the small ones");

        now += HEARTBEAT; // the capture thread stalls: tcp silent, udp (its own receive thread) answers
        udp.forEach(this::answer);
        pool.checkHealth(now, HEARTBEAT);
        assertTrue(largeShare(udp) < 0.01, "the large frames went to the conns that lose them: " + largeShare(udp));
        assertEquals(1.0 / 4, pool.share(udp.get(0), SizeClass.SMALL), 1e-9, "small frames: udp alone, it delivers them");
    }

    /** A transport whose every dial opens at once, with a conn that takes any frame. */
    private static final class OpenAtOnce implements ConnTransport {
        private final String type;

        OpenAtOnce(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public void start(TransportContext ctx) {
        }

        @Override
        public void listen(int port, ConnHandler handler) {
        }

        @Override
        public Conn dial(InetSocketAddress server, ConnHandler handler) {
            Conn c = new Conn() {
                @Override
                public boolean send(ByteBuffer frame) {
                    return true;
                }

                @Override
                public int maxFrameSize() {
                    return 1472;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public ConnInfo info() {
                    return new ConnInfo(type, null, server);
                }

                @Override
                public void close() {
                }
            };
            handler.opened(c);
            return c;
        }

        @Override
        public int overhead() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
