package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CloseReason;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A datagram larger than a conn carries is split by FrameSender and put back by Reassembler. */
class FragmentTest {
    private final FrameKey key = FrameKey.forClient("k", io.rsock.core.config.FrameProtection.NONE);
    private final FrameKey serverKey = FrameKey.forServer("k", io.rsock.core.config.FrameProtection.NONE);
    private final Association assoc = key.associate(77, 1, 2, -1);
    private final Counters counters = new Counters();

    private byte[] roundTrip(byte[] datagram, int maxFrame, boolean shuffle) {
        RecordingConn conn = new RecordingConn(maxFrame);
        FrameSender sender = new FrameSender(key, new AtomicLong(), counters.get("too_large"), counters.get("failed"));
        assertTrue(sender.send(conn, assoc, FrameType.DATA, 77, 5, ByteBuffer.wrap(datagram)));
        for (ByteBuffer f : conn.sent) {
            assertTrue(f.remaining() <= maxFrame, "a fragment exceeds the conn's frame size");
        }
        if (shuffle) {
            Collections.shuffle(conn.sent, new Random(3));
        }
        Reassembler re = new Reassembler(8, 1_000_000_000L, counters.get("dropped"), counters.get("evicted"));
        FrameReader reader = new FrameReader(serverKey, counters);
        List<ByteBuffer> out = new ArrayList<>();
        for (ByteBuffer f : conn.sent) {
            reader.read(f, null, (ctx, id) -> assoc, (ctx, r, buf) -> {
                if (r.fragment() == 0) {
                    ByteBuffer whole = ByteBuffer.allocate(r.payloadLength());
                    whole.put(0, buf, r.payloadOffset(), r.payloadLength());
                    out.add(whole);
                } else {
                    ByteBuffer whole = re.add(r.clientId(), r.counter(), r.fragment(), buf, r.payloadOffset(),
                            r.payloadLength(), 0);
                    if (whole != null) {
                        out.add(whole);
                    }
                }
                return true;
            });
        }
        assertEquals(1, out.size());
        byte[] got = new byte[out.get(0).remaining()];
        out.get(0).get(got);
        return got;
    }

    @Test
    void wireguardSizedDatagramOverASmallPath() {
        byte[] d = new byte[1452];
        new Random(7).nextBytes(d);
        assertArrayEquals(d, roundTrip(d, 1000, false));
        assertArrayEquals(d, roundTrip(d, 1000, true));
    }

    @Test
    void fitsInOneFrameWhenItCan() {
        byte[] d = new byte[1350];
        RecordingConn conn = new RecordingConn(1448);
        new FrameSender(key, new AtomicLong(), counters.get("a"), counters.get("b"))
                .send(conn, assoc, FrameType.DATA, 1, 1, ByteBuffer.wrap(d));
        assertEquals(1, conn.sent.size());
        assertArrayEquals(d, roundTrip(d, 1448, false));
    }

    @Test
    void tooManyFragmentsIsACountedDrop() {
        RecordingConn conn = new RecordingConn(100);
        FrameSender sender = new FrameSender(key, new AtomicLong(), counters.get("too_large"), counters.get("failed"));
        assertFalse(sender.send(conn, assoc, FrameType.DATA, 1, 1, ByteBuffer.wrap(new byte[5000])));
        assertEquals(1, counters.get("too_large").get());
        assertTrue(conn.sent.isEmpty());
    }

    @Test
    void incompleteDatagramsExpireAndAreCounted() {
        Reassembler re = new Reassembler(2, 100, counters.get("dropped"), counters.get("evicted"));
        ByteBuffer part = ByteBuffer.wrap(new byte[10]);
        assertNull(re.add(1, 10, Reassembler.fragmentByte(0, 2), part, 0, 10, 0));
        assertEquals(1, re.pendingCount());
        re.expire(1000);
        assertEquals(0, re.pendingCount());
        assertEquals(1, counters.get("dropped").get());
        // duplicate fragment and bounded pending
        assertNull(re.add(1, 20, Reassembler.fragmentByte(0, 3), part, 0, 10, 0));
        assertNull(re.add(1, 20, Reassembler.fragmentByte(0, 3), part, 0, 10, 0));
        assertNull(re.add(1, 30, Reassembler.fragmentByte(0, 3), part, 0, 10, 0));
        assertNull(re.add(1, 40, Reassembler.fragmentByte(0, 3), part, 0, 10, 0));
        assertEquals(2, re.pendingCount());
        assertEquals(CloseReason.LOCAL, CloseReason.valueOf("LOCAL"));
    }

    @Test
    void heldFragmentsStayWithinTheByteBudgetOldestFirst() {
        Reassembler re = new Reassembler(100, 1000, 1_000_000_000L, counters.get("dropped"), counters.get("evicted"));
        ByteBuffer part = ByteBuffer.wrap(new byte[400]);
        assertNull(re.add(1, 10, Reassembler.fragmentByte(0, 3), part, 0, 400, 0));
        assertNull(re.add(1, 20, Reassembler.fragmentByte(0, 3), part, 0, 400, 0));
        assertEquals(800, re.heldBytes());
        // a third datagram's fragment does not fit: the oldest datagram goes
        assertNull(re.add(1, 30, Reassembler.fragmentByte(0, 3), part, 0, 400, 0));
        assertEquals(2, re.pendingCount());
        assertEquals(800, re.heldBytes());
        assertEquals(1, counters.get("evicted").get());
        // a datagram larger than the whole budget is given up, not held
        assertNull(re.add(1, 21, Reassembler.fragmentByte(1, 3), part, 0, 400, 0)); // the oldest itself: given up
        assertNull(re.add(1, 40, Reassembler.fragmentByte(0, 2), ByteBuffer.wrap(new byte[1200]), 0, 1200, 0));
        assertTrue(re.heldBytes() <= 1000, "held " + re.heldBytes());
        // completing a datagram frees its bytes
        Reassembler small = new Reassembler(100, 1000, 1_000_000_000L, counters.get("d2"), counters.get("e2"));
        assertNull(small.add(1, 50, Reassembler.fragmentByte(0, 2), part, 0, 300, 0));
        assertEquals(600, small.add(1, 51, Reassembler.fragmentByte(1, 2), part, 0, 300, 0).remaining());
        assertEquals(0, small.heldBytes());
    }
}
