package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameShapeTest {

    @Test
    void aRealFrameIsPlausibleAndEmptyOrShortOrJunkIsNot() {
        FrameKey key = FrameKey.forClient("secret", FrameProtection.NONE);
        FrameCodec codec = new FrameCodec(key);
        ByteBuffer out = ByteBuffer.allocate(256);
        codec.encode(out, key.associate(7, 1, 2, -1), FrameType.HEARTBEAT, 0, 7, 0, 1, ByteBuffer.wrap(new byte[16]));
        out.flip();
        assertTrue(FrameShape.plausible(out.duplicate()));
        ByteBuffer hello = ByteBuffer.allocate(256);
        codec.encode(hello, null, FrameType.HELLO, 0, 7, 0, 1, Hello.write(ByteBuffer.allocate(Hello.SIZE), 1, 2, 3));
        assertTrue(FrameShape.plausible(hello.flip()), "a HELLO, the first frame of every new conn");
        assertFalse(FrameShape.plausible(ByteBuffer.allocate(0)));
        assertFalse(FrameShape.plausible(out.duplicate().limit(out.limit() - 1)), "payload cut short");
        ByteBuffer zero = ByteBuffer.allocate(100);
        assertFalse(FrameShape.plausible(zero), "version 0");
        ByteBuffer typeless = out.duplicate();
        ByteBuffer copy = ByteBuffer.allocate(typeless.remaining()).put(typeless).flip();
        copy.put(0, (byte) ((FrameCodec.VERSION << 4) | 0x0F));
        assertFalse(FrameShape.plausible(copy), "an unknown type of this version");
        copy.put(0, (byte) (((FrameCodec.VERSION + 1) << 4) | 0x0F));
        assertTrue(FrameShape.plausible(copy), "another version: for the host to report");
        copy.put(0, (byte) ((1 << 4) | FrameType.DATA));
        assertTrue(FrameShape.plausible(copy), "version 1, an older release: for the host to report");
    }

    @Test
    void mostRandomDatagramsAreNotPlausible() {
        SplittableRandom r = new SplittableRandom(5);
        int plausible = 0;
        byte[] b = new byte[1200];
        for (int i = 0; i < 10_000; i++) {
            r.nextBytes(b);
            if (FrameShape.plausible(ByteBuffer.wrap(b, 0, r.nextInt(b.length)))) {
                plausible++;
            }
        }
        assertTrue(plausible < 500, plausible + " of 10 000");
    }
}
