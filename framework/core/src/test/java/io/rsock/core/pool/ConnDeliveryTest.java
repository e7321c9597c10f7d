package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.Heartbeat;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Both ends of a conn exchanging heartbeats and answers as the tunnel does: each learns what its own
 * sends delivered, per size class, and the answer is never larger than the heartbeat.
 */
class ConnDeliveryTest {
    private static final int LARGE_FRAME = 1200 + FrameCodec.OVERHEAD;
    private final ConnDelivery client = ConnDelivery.named(0x5eed);
    private final ConnDelivery server = new ConnDelivery();
    private int seq;
    private long now = 1_000_000_000L;

    /** One heartbeat from the client and its answer, both delivered, each counted once it has been read. */
    private void exchange() {
        now += 250_000_000L;
        ByteBuffer hb = client.heartbeat(ByteBuffer.allocate(Heartbeat.SIZE), seq, now, 250);
        assertEquals(Heartbeat.SIZE, hb.remaining());
        client.sent().count(FrameCodec.OVERHEAD + hb.remaining());
        ByteBuffer answer = server.answer(hb, 0, ByteBuffer.allocate(Heartbeat.ACK_SIZE), now);
        assertTrue(answer.remaining() <= hb.remaining(), "the answer is larger than the heartbeat");
        server.received(FrameCodec.OVERHEAD + hb.remaining());
        server.sent().count(FrameCodec.OVERHEAD + answer.remaining());
        client.answered(answer, 0, seq, now);
        client.received(FrameCodec.OVERHEAD + answer.remaining());
        seq++;
    }

    /** {@code sent} large frames each way, of which {@code delivered} arrive. */
    private void traffic(int sent, int delivered) {
        for (int i = 0; i < sent; i++) {
            client.sent().count(LARGE_FRAME);
            server.sent().count(LARGE_FRAME);
        }
        for (int i = 0; i < delivered; i++) {
            server.received(LARGE_FRAME);
            client.received(LARGE_FRAME);
        }
    }

    @Test
    void eachEndLearnsWhatItsOwnSendsDelivered() {
        exchange();
        exchange();
        assertEquals(1, server.answerFactor(), "every answer arrived");
        assertEquals(0x5eed, server.connId(), "the server learns the conn's id from the heartbeat");
        traffic(40, 40);
        exchange();
        exchange();
        assertEquals(1, client.outbound().share(SizeClass.LARGE));
        assertEquals(1, server.outbound().share(SizeClass.LARGE));
        assertEquals(1, client.outbound().delivered(), 1e-9);

        traffic(40, 10); // a policer starts: a quarter of the large frames get through, either way
        exchange();
        assertTrue(client.outbound().share(SizeClass.LARGE) < 0.25, "the client's sends: " + client.outbound().share(SizeClass.LARGE));
        assertTrue(client.inbound().delivered(SizeClass.LARGE) < 0.9, "the client sees the server's replies lost");
        exchange(); // the next heartbeat brings the server what the client received
        assertTrue(server.outbound().share(SizeClass.LARGE) < 0.25, "the server's replies: " + server.outbound().share(SizeClass.LARGE));
        assertEquals(1, client.outbound().share(SizeClass.SMALL), "heartbeats and answers all arrived");
        assertEquals(1, server.outbound().share(SizeClass.SMALL));
    }

    @Test
    void aLostAnswerDelaysTheReportsButLosesNothing() {
        exchange();
        exchange();
        traffic(40, 40);
        // A heartbeat whose answer is lost: the server counts it, the client hears nothing.
        now += 250_000_000L;
        ByteBuffer hb = client.heartbeat(ByteBuffer.allocate(Heartbeat.SIZE), seq++, now, 250);
        client.sent().count(FrameCodec.OVERHEAD + hb.remaining());
        ByteBuffer lost = server.answer(hb, 0, ByteBuffer.allocate(Heartbeat.ACK_SIZE), now);
        server.received(FrameCodec.OVERHEAD + hb.remaining());
        server.sent().count(FrameCodec.OVERHEAD + lost.remaining()); // sent, never received: one small frame lost
        traffic(40, 40);
        exchange();
        exchange();
        assertEquals(1, client.outbound().share(SizeClass.LARGE), "nothing the client sent was lost");
        assertEquals(1, server.outbound().share(SizeClass.LARGE));
        assertEquals(1, server.outbound().share(SizeClass.SMALL), "one lost answer is noise, not a lossy path");
        assertTrue(server.answerFactor() < 1, "but the heartbeats tell the server at once: " + server.answerFactor());
    }
}
