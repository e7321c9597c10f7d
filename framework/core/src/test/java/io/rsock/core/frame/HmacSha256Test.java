package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The allocation-free HMAC gives the JDK's HMAC-SHA256, for short, block-sized and long keys and messages. */
class HmacSha256Test {
    @Test
    void matchesTheJdk() throws Exception {
        Random r = new Random(7);
        for (int keyLen : new int[] {1, 32, 64, 65, 200}) {
            byte[] key = new byte[keyLen];
            r.nextBytes(key);
            HmacSha256 ours = new HmacSha256();
            MacKey k = new MacKey(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int len : new int[] {0, 1, 55, 64, 1232, 65535}) {
                byte[] msg = new byte[len];
                r.nextBytes(msg);
                for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.wrap(msg), ByteBuffer.allocateDirect(len).put(msg).flip()}) {
                    byte[] out = new byte[32];
                    ours.mac(k, b, out);
                    assertArrayEquals(jdk.doFinal(msg), out, "key " + keyLen + " message " + len);
                }
            }
        }
    }
}
