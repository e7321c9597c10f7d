package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.CapturedLog;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer of frame version 1 gets one clear line per interval, counted frames and no more; junk gets no line. */
class PeerVersionLogTest {
    private final CapturedLog log = CapturedLog.of(PeerVersionLog.class);

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void aVersionOnePeerIsNamedOncePerInterval() {
        FrameKey clientKey = FrameKey.forClient("k", FrameProtection.NONE);
        Association a = clientKey.associate(1, 2, 3, -1);
        ByteBuffer v1 = ByteBuffer.allocate(100);
        new FrameCodec(clientKey).encode(v1, a, FrameType.HEARTBEAT, 0, 1, 0, 5, ByteBuffer.allocate(16));
        v1.flip().put(0, (byte) (0x10 | FrameType.HEARTBEAT)); // what a version 1 peer sends: same shape, version 1
        Counters counters = new Counters();
        FrameReader reader = new FrameReader(FrameKey.forServer("k", FrameProtection.NONE), counters);
        for (int i = 0; i < 5; i++) {
            assertEquals(-1, reader.read(v1, null, (ctx, id) -> a, (ctx, f, buf) -> true));
        }
        assertEquals(5, counters.get("frame.bad_version").get());
        assertEquals(1, log.lines().size(), "one line per interval");
        String line = log.lines().get(0);
        assertTrue(line.contains("peer speaks frame version 1, this is 2"), line);

        PeerVersionLog once = new PeerVersionLog();
        once.seen(v1, 0, 0);
        once.seen(v1, 0, PeerVersionLog.INTERVAL_NANOS - 1);
        once.seen(v1, 0, PeerVersionLog.INTERVAL_NANOS + 1);
        assertEquals(3, log.lines().size(), "again after the interval");
        ByteBuffer junk = ByteBuffer.allocate(40).put(0, (byte) 0x71).putShort(2, (short) 9000);
        new PeerVersionLog().seen(junk, 0, 0);
        assertEquals(3, log.lines().size(), "a length that does not fit what arrived is no peer");
    }
}
