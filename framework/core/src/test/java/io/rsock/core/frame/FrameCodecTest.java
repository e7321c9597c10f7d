package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frame version 2 with {@code --crypt none}: layout, tampering, direction, associations and the handshake keys. */
class FrameCodecTest {
    static final int CLIENT = 0xCAFEBABE;
    private final FrameKey clientKey = FrameKey.forClient("s3cret", FrameProtection.NONE);
    private final FrameKey serverKey = FrameKey.forServer("s3cret", FrameProtection.NONE);
    private final Association assoc = clientKey.associate(CLIENT, 11, 22, -1);
    private final FrameCodec client = new FrameCodec(clientKey);
    private final FrameCodec server = new FrameCodec(serverKey);

    private ByteBuffer frame(FrameCodec codec, int type, int sessionId, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + payload.length);
        assertTrue(codec.encode(out, assoc, type, 0, CLIENT, sessionId, 42, ByteBuffer.wrap(payload)));
        return out.flip();
    }

    @Test
    void roundTrip() {
        byte[] payload = new byte[1200];
        new Random(1).nextBytes(payload);
        ByteBuffer f = frame(client, FrameType.DATA, 7, payload);
        assertEquals(1200 + 32, f.remaining());
        assertEquals(0x21, f.get(0) & 0xFF, "version 2, type data");
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(f.remaining(), server.decode(f, r, assoc));
        assertEquals(FrameType.DATA, r.type());
        assertEquals(CLIENT, r.clientId());
        assertEquals(7, r.sessionId());
        assertEquals(42, r.counter());
        assertEquals(1200, r.payloadLength());
        assertSame(assoc, r.association());
        for (int i = 0; i < payload.length; i++) {
            assertEquals(payload[i], f.get(r.payloadOffset() + i));
        }
        assertFalse(f.hasRemaining());
    }

    @Test
    void theServersFramesCarryTheDirectionBitAndOpenAtTheClient() {
        ByteBuffer f = frame(server, FrameType.DATA, 7, new byte[10]);
        assertTrue(f.getInt(8) < 0, "S bit set on the server's frame");
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(f.remaining(), client.decode(f, r, assoc));
        assertEquals(7, r.sessionId(), "the direction bit is not part of the session id");
    }

    @Test
    void aReflectedFrameIsToldApartWithoutAMac() {
        ByteBuffer mine = frame(client, FrameType.HEARTBEAT, 0, new byte[16]);
        assertEquals(FrameCodec.REFLECTED, client.decode(mine, new ReceivedFrame(), assoc));
        ByteBuffer theirs = frame(server, FrameType.HEARTBEAT_ACK, 0, new byte[16]);
        assertEquals(FrameCodec.REFLECTED, server.decode(theirs, new ReceivedFrame(), assoc));
        // flipping the direction bit back does not help: the keys differ by direction and the bit is under the tag
        mine.putInt(8, mine.getInt(8) | 0x8000_0000);
        assertEquals(FrameCodec.BAD_MAC, client.decode(mine, new ReceivedFrame(), assoc));
    }

    @Test
    void aFrameOfAnotherAssociationDoesNotAuthenticate() {
        ByteBuffer f = frame(client, FrameType.DATA, 1, new byte[50]);
        // the same client run with another server run (a restart, a second server), another client run, another id
        for (Association other : new Association[] {clientKey.associate(CLIENT, 11, 23, -1), clientKey.associate(CLIENT, 12, 22, -1),
            clientKey.associate(CLIENT + 1, 11, 22, -1)}) {
            assertEquals(FrameCodec.BAD_MAC, server.decode(f.duplicate(), new ReceivedFrame(), other));
        }
        assertEquals(FrameCodec.UNKNOWN_PEER, server.decode(f.duplicate(), new ReceivedFrame(), (Association) null));
    }

    @Test
    void handshakeFramesNeedNoAssociationAndUseTheirOwnKeys() {
        ByteBuffer hello = ByteBuffer.allocate(100);
        assertTrue(client.encode(hello, null, FrameType.HELLO, 0, CLIENT, 0, 5, Hello.write(ByteBuffer.allocate(Hello.SIZE), 1, 2, 3)));
        hello.flip();
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(FrameCodec.OVERHEAD + Hello.SIZE, server.decode(hello.duplicate(), r, (Association) null));
        assertNull(r.association());
        assertEquals(3, Hello.clientRun(hello, r.payloadOffset()));
        // a data frame needs an association to be built at all
        assertFalse(client.encode(ByteBuffer.allocate(100), null, FrameType.DATA, 0, CLIENT, 1, 6, ByteBuffer.allocate(4)));
        // a HELLO of another secret does not authenticate
        FrameCodec stranger = new FrameCodec(FrameKey.forClient("other", FrameProtection.NONE));
        ByteBuffer forged = ByteBuffer.allocate(100);
        stranger.encode(forged, null, FrameType.HELLO, 0, CLIENT, 0, 5, Hello.write(ByteBuffer.allocate(Hello.SIZE), 1, 2, 3));
        assertEquals(FrameCodec.BAD_MAC, server.decode(forged.flip(), r, (Association) null));
        // a data frame retyped as HELLO (to dodge the association) fails the handshake key
        ByteBuffer data = frame(client, FrameType.DATA, 0, new byte[24]);
        data.put(0, (byte) ((FrameCodec.VERSION << 4) | FrameType.HELLO));
        assertEquals(FrameCodec.BAD_MAC, server.decode(data, r, (Association) null));
    }

    @Test
    void aVersionOneFrameIsABadVersion() {
        ByteBuffer f = frame(client, FrameType.DATA, 1, new byte[10]);
        f.put(0, (byte) (0x10 | FrameType.DATA));
        assertEquals(FrameCodec.BAD_VERSION, server.decode(f, new ReceivedFrame(), assoc));
    }

    @Test
    void overheadIsAtMost32Bytes() {
        assertEquals(32, FrameCodec.OVERHEAD);
        assertEquals(32, frame(client, FrameType.HEARTBEAT, 0, new byte[0]).remaining());
    }

    @Test
    void everySingleBitFlipIsRejected() {
        ByteBuffer good = frame(client, FrameType.DATA, 9, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ReceivedFrame r = new ReceivedFrame();
        for (int i = 0; i < good.limit(); i++) {
            for (int bit = 0; bit < 8; bit++) {
                ByteBuffer bad = ByteBuffer.allocate(good.limit());
                bad.put(good.duplicate()).flip();
                bad.put(i, (byte) (bad.get(i) ^ (1 << bit)));
                int res = server.decode(bad, r, assoc);
                assertTrue(res < 0, "flip of bit " + bit + " of byte " + i + " accepted");
                assertEquals(0, bad.position(), "position moved on a bad frame");
            }
        }
    }

    @Test
    void truncationAndWrongKeyAreRejected() {
        ByteBuffer good = frame(client, FrameType.DATA, 1, new byte[100]);
        ReceivedFrame r = new ReceivedFrame();
        for (int len = 0; len < good.limit(); len++) {
            ByteBuffer cut = good.duplicate().limit(len);
            assertTrue(server.decode(cut, r, assoc) < 0, "truncated to " + len + " accepted");
        }
        FrameKey other = FrameKey.forServer("other", FrameProtection.NONE);
        assertEquals(FrameCodec.BAD_MAC, new FrameCodec(other).decode(good.duplicate(), r, other.associate(CLIENT, 11, 22, -1)));
    }

    @Test
    void framesBackToBackAreTakenOneAtATime() {
        ByteBuffer both = ByteBuffer.allocate(200);
        client.encode(both, assoc, FrameType.DATA, 0, 1, 1, 1, ByteBuffer.wrap(new byte[] {10}));
        client.encode(both, assoc, FrameType.DATA, 0, 1, 2, 2, ByteBuffer.wrap(new byte[] {20, 21}));
        both.flip();
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(33, server.decode(both, r, assoc));
        assertEquals(1, r.sessionId());
        assertEquals(34, server.decode(both, r, assoc));
        assertEquals(2, r.sessionId());
        assertEquals(21, both.get(r.payloadOffset() + 1));
        assertFalse(both.hasRemaining());
    }

    @Test
    void encodeRefusesWhatDoesNotFitAndLeavesPayloadAlone() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[50]);
        assertFalse(client.encode(ByteBuffer.allocate(60), assoc, FrameType.DATA, 0, 1, 1, 1, payload));
        ByteBuffer out = ByteBuffer.allocate(100);
        assertTrue(client.encode(out, assoc, FrameType.DATA, 0, 1, 1, 1, payload));
        assertEquals(0, payload.position());
        assertEquals(50, payload.remaining());
    }

    @Test
    void directBuffersWorkToo() {
        ByteBuffer out = ByteBuffer.allocateDirect(100);
        ByteBuffer payload = ByteBuffer.allocateDirect(10);
        assertTrue(client.encode(out, assoc, FrameType.DATA, 0, 5, 6, 7, payload));
        out.flip();
        ReceivedFrame r = new ReceivedFrame();
        assertEquals(42, new FrameCodec(serverKey).decode(out, r, assoc));
        assertEquals(6, r.sessionId());
    }

    @Test
    void associationKeysAreTheSameAtBothEnds() {
        Association atServer = serverKey.associate(CLIENT, 11, 22, 1000);
        ByteBuffer f = frame(client, FrameType.DATA, 3, new byte[20]);
        assertTrue(server.decode(f, new ReceivedFrame(), atServer) > 0);
        assertFalse(atServer.replay().accept(1000), "the floor itself is a replay");
        assertFalse(atServer.replay().accept(999));
        assertTrue(atServer.replay().accept(1001));
    }
}
