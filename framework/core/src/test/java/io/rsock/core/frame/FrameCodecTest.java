package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private final FrameKey key = FrameKey.fromSecret("s3cret");
    private final FrameCodec codec = new FrameCodec(key);

    private ByteBuffer frame(int type, int sessionId, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + payload.length);
        assertTrue(codec.encode(out, type, 0, 0xCAFEBABE, sessionId, 42, ByteBuffer.wrap(payload)));
        return out.flip();
    }

    @Test
    void roundTrip() {
        byte[] payload = new byte[1200];
        new Random(1).nextBytes(payload);
        ByteBuffer f = frame(FrameType.DATA, 7, payload);
        assertEquals(1200 + 32, f.remaining());
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(f.remaining(), codec.decode(f, r));
        assertEquals(FrameType.DATA, r.type());
        assertEquals(0xCAFEBABE, r.clientId());
        assertEquals(7, r.sessionId());
        assertEquals(42, r.counter());
        assertEquals(1200, r.payloadLength());
        for (int i = 0; i < payload.length; i++) {
            assertEquals(payload[i], f.get(r.payloadOffset() + i));
        }
        assertFalse(f.hasRemaining());
    }

    @Test
    void overheadIsAtMost32Bytes() {
        assertEquals(32, FrameCodec.OVERHEAD);
        assertEquals(32, frame(FrameType.HEARTBEAT, 0, new byte[0]).remaining());
    }

    @Test
    void everySingleBitFlipIsRejected() {
        ByteBuffer good = frame(FrameType.DATA, 9, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ReceivedFrame r = new ReceivedFrame();
        for (int i = 0; i < good.limit(); i++) {
            for (int bit = 0; bit < 8; bit++) {
                ByteBuffer bad = ByteBuffer.allocate(good.limit());
                bad.put(good.duplicate()).flip();
                bad.put(i, (byte) (bad.get(i) ^ (1 << bit)));
                int res = codec.decode(bad, r);
                assertTrue(res < 0, "flip of bit " + bit + " of byte " + i + " accepted");
                assertEquals(0, bad.position(), "position moved on a bad frame");
            }
        }
    }

    @Test
    void truncationAndWrongKeyAreRejected() {
        ByteBuffer good = frame(FrameType.DATA, 1, new byte[100]);
        ReceivedFrame r = new ReceivedFrame();
        for (int len = 0; len < good.limit(); len++) {
            ByteBuffer cut = good.duplicate().limit(len);
            assertTrue(codec.decode(cut, r) < 0, "truncated to " + len + " accepted");
        }
        FrameCodec other = new FrameCodec(FrameKey.fromSecret("other"));
        assertEquals(FrameCodec.BAD_MAC, other.decode(good.duplicate(), r));
    }

    @Test
    void framesBackToBackAreTakenOneAtATime() {
        ByteBuffer both = ByteBuffer.allocate(200);
        codec.encode(both, FrameType.DATA, 0, 1, 1, 1, ByteBuffer.wrap(new byte[] {10}));
        codec.encode(both, FrameType.DATA, 0, 1, 2, 2, ByteBuffer.wrap(new byte[] {20, 21}));
        both.flip();
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(33, codec.decode(both, r));
        assertEquals(1, r.sessionId());
        assertEquals(34, codec.decode(both, r));
        assertEquals(2, r.sessionId());
        assertEquals(21, both.get(r.payloadOffset() + 1));
        assertFalse(both.hasRemaining());
    }

    @Test
    void encodeRefusesWhatDoesNotFitAndLeavesPayloadAlone() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[50]);
        assertFalse(codec.encode(ByteBuffer.allocate(60), FrameType.DATA, 0, 1, 1, 1, payload));
        ByteBuffer out = ByteBuffer.allocate(100);
        assertTrue(codec.encode(out, FrameType.DATA, 0, 1, 1, 1, payload));
        assertEquals(0, payload.position());
        assertEquals(50, payload.remaining());
    }

    @Test
    void directBuffersWorkToo() {
        ByteBuffer out = ByteBuffer.allocateDirect(100);
        ByteBuffer payload = ByteBuffer.allocateDirect(10);
        assertTrue(codec.encode(out, FrameType.DATA, 0, 5, 6, 7, payload));
        out.flip();
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(42, new FrameCodec(key).decode(out, r));
        assertEquals(6, r.sessionId());
    }
}
