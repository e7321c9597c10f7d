package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --crypt}: both directions round trip encrypted, tampering and wrong keys are refused, overhead stays 32. */
class AeadFrameTest {
    private static final int CLIENT = 0x1234_5678;
    private static final int SERVER_RUN = 0x0BAD_F00D;

    private static ByteBuffer seal(FrameKey key, int clientId, long counter, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + payload.length);
        assertTrue(new FrameCodec(key).encode(out, FrameType.DATA, 0, clientId, 9, counter, ByteBuffer.wrap(payload)));
        return out.flip();
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void bothDirectionsRoundTripEncryptedWithThirtyTwoBytesOfOverhead(FrameProtection p) {
        FrameKey client = FrameKey.forClient("s3cret", p, CLIENT);
        FrameKey server = FrameKey.forServer("s3cret", p, SERVER_RUN);
        byte[] text = "attack at dawn, attack at dawn, attack at dawn".getBytes(StandardCharsets.US_ASCII);

        ByteBuffer up = seal(client, CLIENT, 1000, text);
        assertEquals(text.length + 32, up.remaining());
        assertFalse(contains(up, "attack"), "the payload went out in clear");
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(up.remaining(), new FrameCodec(server).decode(up, r));
        assertEquals(CLIENT, r.clientId());
        assertArrayEquals(text, payload(up, r));

        ByteBuffer down = seal(server, CLIENT, 2000, text);
        assertEquals(SERVER_RUN, down.getInt(4), "the server's frame names its run, not the client");
        assertFalse(contains(down, "attack"));
        ReceivedFrame d = new ReceivedFrame();
        assertEquals(down.remaining(), new FrameCodec(client).decode(down, d));
        assertEquals(CLIENT, d.clientId());
        assertEquals(2000, d.counter());
        assertArrayEquals(text, payload(down, d));
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void anyChangedByteIsRefused(FrameProtection p) {
        FrameKey client = FrameKey.forClient("s3cret", p, CLIENT);
        FrameCodec server = new FrameCodec(FrameKey.forServer("s3cret", p, SERVER_RUN));
        byte[] text = new byte[100];
        new Random(5).nextBytes(text);
        ByteBuffer f = seal(client, CLIENT, 77, text);
        for (int i = 0; i < f.remaining(); i++) {
            ByteBuffer t = ByteBuffer.allocate(f.remaining()).put(f.duplicate()).flip();
            t.put(i, (byte) (t.get(i) ^ 0x20));
            assertTrue(server.decode(t, new ReceivedFrame()) < 0, "byte " + i + " changed and still accepted");
        }
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void wrongSecretOtherClientOrOtherProtectionIsRefused(FrameProtection p) {
        byte[] text = new byte[40];
        FrameKey server = FrameKey.forServer("s3cret", p, SERVER_RUN);
        // a frame of the server to one client does not open at another client (same secret)
        ByteBuffer toA = seal(server, CLIENT, 5, text);
        assertTrue(new FrameCodec(FrameKey.forClient("s3cret", p, CLIENT + 1)).decode(toA, new ReceivedFrame()) < 0);
        // wrong secret
        ByteBuffer up = seal(FrameKey.forClient("other", p, CLIENT), CLIENT, 5, text);
        assertTrue(new FrameCodec(server).decode(up, new ReceivedFrame()) < 0);
        // --crypt none on one end
        ByteBuffer plain = seal(FrameKey.forClient("s3cret", FrameProtection.NONE, CLIENT), CLIENT, 5, text);
        assertTrue(new FrameCodec(server).decode(plain, new ReceivedFrame()) < 0);
        ByteBuffer sealed = seal(FrameKey.forClient("s3cret", p, CLIENT), CLIENT, 5, text);
        assertTrue(new FrameCodec(FrameKey.forServer("s3cret", FrameProtection.NONE, 1)).decode(sealed, new ReceivedFrame()) < 0);
        // a client's own frame reflected back to it does not open (direction is in the nonce and key)
        ByteBuffer mine = seal(FrameKey.forClient("s3cret", p, CLIENT), CLIENT, 6, text);
        assertTrue(new FrameCodec(FrameKey.forClient("s3cret", p, CLIENT)).decode(mine, new ReceivedFrame()) < 0);
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void aDuplicatedFrameStillOpensSoTheReplayWindowCanCountIt(FrameProtection p) {
        FrameCodec server = new FrameCodec(FrameKey.forServer("s3cret", p, SERVER_RUN));
        ByteBuffer f = seal(FrameKey.forClient("s3cret", p, CLIENT), CLIENT, 5, new byte[10]);
        ByteBuffer copy = ByteBuffer.allocate(f.remaining()).put(f.duplicate()).flip();
        assertTrue(server.decode(f, new ReceivedFrame()) > 0);
        assertTrue(server.decode(copy, new ReceivedFrame()) > 0);
    }

    @org.junit.jupiter.api.Test
    void chachaTruncatedTagIsTheRfc8439TagCut() throws Exception {
        FrameKey client = FrameKey.forClient("s3cret", FrameProtection.CHACHA20_POLY1305, CLIENT);
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer f = seal(client, CLIENT, 42, text);
        byte[] nonce = new byte[12];
        f.get(4, nonce, 2, 4);
        f.get(12, nonce, 6, 6);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, client.c2sKey(), new IvParameterSpec(nonce));
        byte[] header = new byte[FrameCodec.HEADER];
        f.get(0, header);
        c.updateAAD(header);
        byte[] full = c.doFinal(text);
        byte[] onWire = new byte[text.length + FrameCodec.TAG];
        f.get(FrameCodec.HEADER, onWire);
        assertArrayEquals(java.util.Arrays.copyOf(full, text.length + FrameCodec.TAG), onWire);
    }

    private static byte[] payload(ByteBuffer b, ReceivedFrame r) {
        byte[] out = new byte[r.payloadLength()];
        b.get(r.payloadOffset(), out);
        return out;
    }

    private static boolean contains(ByteBuffer b, String s) {
        return new String(b.array(), b.arrayOffset(), b.limit(), StandardCharsets.ISO_8859_1).contains(s);
    }
}
