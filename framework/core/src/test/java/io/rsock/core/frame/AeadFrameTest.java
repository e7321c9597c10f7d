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

/**
 * {@code --crypt}: both directions round trip encrypted, tampering, wrong keys, another association and a
 * reflected frame are refused, overhead stays 32.
 */
class AeadFrameTest {
    private static final int CLIENT = 0x1234_5678;
    private static final long CLIENT_RUN = 0x1111;
    private static final long SERVER_RUN = 0x0BAD_F00D;

    private static FrameKey client(FrameProtection p) {
        return FrameKey.forClient("s3cret", p);
    }

    private static FrameKey server(FrameProtection p) {
        return FrameKey.forServer("s3cret", p);
    }

    private static Association assoc(FrameKey key) {
        return key.associate(CLIENT, CLIENT_RUN, SERVER_RUN, -1);
    }

    private static ByteBuffer seal(FrameKey key, Association a, long counter, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + payload.length);
        assertTrue(new FrameCodec(key).encode(out, a, FrameType.DATA, 0, CLIENT, 9, counter, ByteBuffer.wrap(payload)));
        return out.flip();
    }

    private static int open(FrameKey key, Association a, ByteBuffer f, ReceivedFrame into) {
        return new FrameCodec(key).decode(f, into, a);
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void bothDirectionsRoundTripEncryptedWithThirtyTwoBytesOfOverhead(FrameProtection p) {
        FrameKey client = client(p);
        FrameKey server = server(p);
        byte[] text = "attack at dawn, attack at dawn, attack at dawn".getBytes(StandardCharsets.US_ASCII);

        ByteBuffer up = seal(client, assoc(client), 1000, text);
        assertEquals(text.length + 32, up.remaining());
        assertFalse(contains(up, "attack"), "the payload went out in clear");
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(up.remaining(), open(server, assoc(server), up, r));
        assertEquals(CLIENT, r.clientId());
        assertArrayEquals(text, payload(up, r));

        ByteBuffer down = seal(server, assoc(server), 2000, text);
        assertFalse(contains(down, "attack"));
        ReceivedFrame d = new ReceivedFrame();
        assertEquals(down.remaining(), open(client, assoc(client), down, d));
        assertEquals(CLIENT, d.clientId());
        assertEquals(2000, d.counter());
        assertArrayEquals(text, payload(down, d));
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void anyChangedByteIsRefused(FrameProtection p) {
        byte[] text = new byte[100];
        new Random(5).nextBytes(text);
        ByteBuffer f = seal(client(p), assoc(client(p)), 77, text);
        for (int i = 0; i < f.remaining(); i++) {
            ByteBuffer t = ByteBuffer.allocate(f.remaining()).put(f.duplicate()).flip();
            t.put(i, (byte) (t.get(i) ^ 0x20));
            assertTrue(open(server(p), assoc(server(p)), t, new ReceivedFrame()) < 0, "byte " + i + " changed and still accepted");
        }
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void wrongSecretOtherAssociationOrOtherProtectionIsRefused(FrameProtection p) {
        byte[] text = new byte[40];
        FrameKey server = server(p);
        // a frame of the server to one client does not open at another client (same secret)
        ByteBuffer toA = seal(server, assoc(server), 5, text);
        Association otherClient = client(p).associate(CLIENT + 1, CLIENT_RUN, SERVER_RUN, -1);
        assertTrue(open(client(p), otherClient, toA, new ReceivedFrame()) < 0);
        // a client frame recorded against one server run opens at no other (a restart, a second server)
        ByteBuffer up = seal(client(p), assoc(client(p)), 5, text);
        Association otherRun = server.associate(CLIENT, CLIENT_RUN, SERVER_RUN + 1, -1);
        assertEquals(FrameCodec.BAD_MAC, open(server, otherRun, up.duplicate(), new ReceivedFrame()));
        // wrong secret
        FrameKey stranger = FrameKey.forClient("other", p);
        ByteBuffer forged = seal(stranger, assoc(stranger), 5, text);
        assertTrue(open(server, assoc(server), forged, new ReceivedFrame()) < 0);
        // --crypt none on one end
        FrameKey plain = FrameKey.forClient("s3cret", FrameProtection.NONE);
        assertTrue(open(server, assoc(server), seal(plain, assoc(plain), 5, text), new ReceivedFrame()) < 0);
        FrameKey plainServer = FrameKey.forServer("s3cret", FrameProtection.NONE);
        assertTrue(open(plainServer, assoc(plainServer), up.duplicate(), new ReceivedFrame()) < 0);
        // a client's own frame reflected back to it
        ByteBuffer mine = seal(client(p), assoc(client(p)), 6, text);
        assertEquals(FrameCodec.REFLECTED, open(client(p), assoc(client(p)), mine, new ReceivedFrame()));
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void aDuplicatedFrameStillOpensSoTheReplayWindowCanCountIt(FrameProtection p) {
        FrameKey server = server(p);
        ByteBuffer f = seal(client(p), assoc(client(p)), 5, new byte[10]);
        ByteBuffer copy = ByteBuffer.allocate(f.remaining()).put(f.duplicate()).flip();
        assertTrue(open(server, assoc(server), f, new ReceivedFrame()) > 0);
        assertTrue(open(server, assoc(server), copy, new ReceivedFrame()) > 0);
    }

    @ParameterizedTest
    @EnumSource(value = FrameProtection.class, names = {"AES_GCM", "CHACHA20_POLY1305"})
    void handshakeFramesAreAuthenticatedWithTheHandshakeKeyInEveryMode(FrameProtection p) {
        ByteBuffer hello = ByteBuffer.allocate(100);
        assertTrue(new FrameCodec(client(p)).encode(hello, null, FrameType.HELLO, 0, CLIENT, 0, 9,
                Hello.write(ByteBuffer.allocate(Hello.SIZE), 1, 2, 3)));
        hello.flip();
        assertEquals(FrameCodec.OVERHEAD + Hello.SIZE, open(server(p), null, hello.duplicate(), new ReceivedFrame()));
        // ends that disagree on --crypt fail at the HELLO already
        FrameKey plainServer = FrameKey.forServer("s3cret", FrameProtection.NONE);
        assertEquals(FrameCodec.BAD_MAC, open(plainServer, null, hello, new ReceivedFrame()));
    }

    @org.junit.jupiter.api.Test
    void chachaTruncatedTagIsTheRfc8439TagCut() throws Exception {
        FrameKey client = client(FrameProtection.CHACHA20_POLY1305);
        Association a = assoc(client);
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer f = seal(client, a, 42, text);
        byte[] nonce = new byte[12];
        f.get(12, nonce, 6, 6);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, a.c2sAead, new IvParameterSpec(nonce));
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
