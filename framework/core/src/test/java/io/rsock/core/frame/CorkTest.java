package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Between cork and flush a FrameSender hands a conn its frames together, in order, and counts what the conn refused. */
class CorkTest {
    private final FrameKey key = FrameKey.forClient("k", io.rsock.core.config.FrameProtection.NONE);
    private final Association assoc = key.associate(7, 1, 2, -1);
    private final Counters counters = new Counters();

    private FrameSender sender() {
        return new FrameSender(key, new AtomicLong(), counters.get("too_large"), counters.get("failed"));
    }

    @Test
    void corkedFramesGoTogetherInOrderAndALargeBatchIsSplit() {
        RecordingConn conn = new RecordingConn(1400, 0);
        FrameSender s = sender();
        s.cork(conn);
        for (int i = 1; i <= FrameSender.CORK_CAPACITY + 5; i++) {
            assertTrue(s.send(conn, assoc, FrameType.DATA, 7, i, ByteBuffer.wrap(new byte[100])));
            assertEquals(100 + FrameCodec.OVERHEAD, s.lastBytes());
        }
        assertTrue(conn.calls.size() == 1, "the first full batch went when it filled: " + conn.calls);
        s.flush();
        assertEquals(List.of(FrameSender.CORK_CAPACITY, 5), conn.calls);
        for (int i = 0; i < conn.sessions().size(); i++) {
            assertEquals(i + 1, conn.sessions().get(i));
        }
        s.flush(); // nothing held: no call
        assertEquals(2, conn.calls.size());
    }

    @Test
    void otherConnsAndFragmentsAndRefusals() {
        RecordingConn corked = new RecordingConn(600, 3);
        RecordingConn other = new RecordingConn(1400, 0);
        FrameSender s = sender();
        s.cork(corked);
        s.send(other, assoc, FrameType.DATA, 7, 1, ByteBuffer.wrap(new byte[10])); // not corked: at once
        assertEquals(List.of(0), other.calls);
        s.send(corked, assoc, FrameType.DATA, 7, 2, ByteBuffer.wrap(new byte[1000])); // two fragments, held
        s.send(corked, assoc, FrameType.DATA, 7, 3, ByteBuffer.wrap(new byte[10]));
        assertTrue(corked.calls.isEmpty());
        s.flush();
        assertEquals(List.of(3), corked.calls);
        assertEquals(List.of(2, 2, 3), corked.sessions());
        assertEquals(1, counters.get("failed").get(), "the third frame was refused");
        // after flush nothing is held any more
        s.send(corked, assoc, FrameType.DATA, 7, 4, ByteBuffer.wrap(new byte[10]));
        assertEquals(List.of(3, 0), corked.calls);
    }

    @Test
    void aConnWithFramesTooLargeToHoldIsNotCorked() {
        RecordingConn big = new RecordingConn(60_000, 0);
        FrameSender s = sender();
        s.cork(big);
        s.send(big, assoc, FrameType.DATA, 7, 1, ByteBuffer.wrap(new byte[5000]));
        assertEquals(List.of(0), big.calls);
        s.flush();
        assertEquals(List.of(0), big.calls);
    }
}
