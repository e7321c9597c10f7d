package io.rsock.transport.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts alone: the client's and the server's ledgers, the sequence window, fingerprints. */
class LedgerTest {
    private static final IcmpOptions OPTS = IcmpOptions.defaults();
    private static final long T0 = 1_000_000;

    private static long fp(String s) {
        return Fingerprint.of(ByteBuffer.wrap(s.getBytes()));
    }

    @Test
    void fingerprintsSeeLengthAndBothEnds() {
        assertEquals(fp("hello world, a frame"), fp("hello world, a frame"));
        assertNotEquals(fp("hello world, a frame"), fp("hello world, a framE"));
        assertNotEquals(fp("Hello world, a frame"), fp("hello world, a frame"));
        assertNotEquals(fp("abc"), fp("abd"));
        assertNotEquals(Fingerprint.EMPTY, fp("a"));
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put(10, "hello world, a frame".getBytes());
        assertEquals(fp("hello world, a frame"), Fingerprint.of(b, 10, 20), "absolute offset, not the position");
    }

    @Test
    void seqWindowRefusesDuplicatesAndTheFarPastAcrossTheWrap() {
        SeqWindow w = new SeqWindow();
        int start = 65_000;
        for (int i = 0; i < 2000; i++) {
            int seq = (start + i) & 0xFFFF;
            assertTrue(w.accept(seq), "new " + i);
            w.advance(seq); // each one authenticated
        }
        int top = (start + 1999) & 0xFFFF;
        assertFalse(w.accept(top), "the newest again");
        assertFalse(w.accept((top - 100) & 0xFFFF), "a recent one again");
        assertFalse(w.accept((top - SeqWindow.BEHIND) & 0xFFFF), "older than the window");
        // Out of order within the window: a gap filled later is new once.
        assertTrue(w.accept((top + 5) & 0xFFFF));
        assertTrue(w.accept((top + 3) & 0xFFFF));
        assertFalse(w.accept((top + 3) & 0xFFFF));
        assertFalse(w.accept((top + SeqWindow.AHEAD + 1) & 0xFFFF), "too far ahead of the last authenticated one");
        // An authenticated jump far ahead clears the bitmap it slides over.
        int far = (top + 20_000) & 0xFFFF;
        w.advance(far);
        assertTrue(w.accept(far));
        assertTrue(w.accept((far - 64 * 3) & 0xFFFF), "inside the new window, never seen");
        assertTrue(w.accept((far + SeqWindow.AHEAD) & 0xFFFF), "the new front");
    }

    @Test
    void unauthenticatedRequestsNeverMoveTheWindow() {
        SeqWindow w = new SeqWindow();
        int client = 100;
        assertTrue(w.accept(client));
        w.advance(client);
        // A stranger who knows the conn pushes with advancing, unauthenticated sequence numbers.
        for (int push = 1000; push < 65_000; push += 1000) {
            w.accept((client + push) & 0xFFFF);
        }
        // The client's own requests, credits and frames alike, are still inside the window.
        for (int i = 1; i <= 3000; i++) {
            int seq = (client + i) & 0xFFFF;
            boolean burned = i % 1000 == 0; // the stranger's numbers that fell inside: not answered twice
            assertEquals(!burned, w.accept(seq), "request " + i);
            if (i % 7 == 0) {
                w.advance(seq);
            }
        }
    }

    @Test
    void clientCreditsOnlyOnceTheServerAnswered() {
        EchoClient c = new EchoClient(OPTS, 77, 65_530, T0);
        assertEquals(0, c.creditsWanted(), "no credit before the server has shown it has the conn");
        int s1 = c.nextRequest(fp("frame one"), T0);
        int s2 = c.nextRequest(Fingerprint.EMPTY, T0); // the pairing credit the glue sends
        assertEquals(65_530, s1);
        assertEquals(65_531, s2);
        assertEquals(2, c.outstanding());
        assertEquals(EchoClient.REPLY_KERNEL, c.onReply(s2, Fingerprint.EMPTY, 0, T0), "an empty reply is the kernel's");
        assertEquals(EchoClient.REPLY_KERNEL, c.onReply(s1, fp("frame one"), 9, T0), "the request's own payload is the kernel's");
        assertFalse(c.isConfirmed());
        assertEquals(2, c.outstanding(), "the kernel's echo does not use up the request: the server holds it too");
        assertEquals(EchoClient.REPLY_SERVER, c.onReply(s2, fp("frame one"), 9, T0),
                "the server answered the spare request with the echo of frame one");
        assertTrue(c.isConfirmed());
        assertEquals(1, c.outstanding());
        assertEquals(OPTS.credit() - 1, c.creditsWanted());
        assertEquals(EchoClient.REPLY_SERVER, c.onReply(s2, fp("another"), 7, T0), "a second answer to one request is still data");
        assertEquals(1, c.outstanding());
    }

    /**
     * The server kernel's echo of a request that comes after the server's answer (reordered on the
     * path, or its kernel waited for a neighbour) is still the kernel's: counted as such, never
     * delivered up as a frame (where it would be counted as reflected, a false alarm).
     */
    @Test
    void theKernelsEchoAfterTheServersAnswerIsStillTheKernels() {
        EchoClient c = new EchoClient(OPTS, 77, 100, T0);
        int s1 = c.nextRequest(fp("hello"), T0);
        c.nextRequest(Fingerprint.EMPTY, T0);
        assertEquals(EchoClient.REPLY_SERVER, c.onReply(s1, fp("hello ack"), 9, T0));
        assertEquals(EchoClient.REPLY_KERNEL, c.onReply(s1, fp("hello"), 5, T0), "the kernel's echo, late");
        assertEquals(EchoClient.REPLY_SERVER, c.onReply(s1, fp("another"), 7, T0), "a second answer to one request is still data");
        for (int i = 0; i < OPTS.backlog(); i++) {
            c.nextRequest(Fingerprint.EMPTY, T0); // the slot is reused: what it answered is forgotten
        }
        assertEquals(EchoClient.REPLY_SERVER, c.onReply(s1, fp("hello"), 5, T0));
    }

    @Test
    void clientForgetsWhatTheServerForgets() {
        IcmpOptions o = new IcmpOptions(4, 8, 4, 20_000, 10_000, 60_000, 16, true);
        EchoClient c = new EchoClient(o, 1, 0xFFF0, T0);
        int first = c.nextRequest(fp("x1"), T0);
        c.onReply(first + 100, fp("reply"), 5, T0); // confirms without matching anything
        assertEquals(1, c.outstanding());
        for (int i = 0; i < 20; i++) {
            c.nextRequest(Fingerprint.EMPTY, T0 + i);
        }
        assertEquals(8, c.outstanding(), "at most the backlog, as the server keeps");
        assertEquals(0, c.creditsWanted());
        c.expire(T0 + 20_000 + 18);
        assertEquals(1, c.outstanding(), "the requests 20 s old are gone, as at the server");
        c.expire(T0 + 20_000 + 19);
        assertEquals(0, c.outstanding());
        assertEquals(4, c.creditsWanted());
        assertFalse(c.keepaliveDue(T0 + 19 + 9_999));
        assertTrue(c.keepaliveDue(T0 + 19 + 10_000));
    }

    @Test
    void serverAnswersEachRequestOnceOldestFirstAndNeverWithItsOwnPayload() {
        EchoServer s = new EchoServer(OPTS, 1472);
        assertTrue(s.accept(10));
        s.push(10, fp("frame A"), T0);
        assertEquals(-1, s.take(fp("frame A"), T0), "the only request carried this very payload: it waits");
        assertTrue(s.enqueue(ByteBuffer.wrap("frame A".getBytes()), fp("frame A")));
        assertTrue(s.accept(11));
        assertTrue(s.canAnswerFromQueue(Fingerprint.EMPTY));
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(7, s.pollQueued(out, 3));
        assertEquals("frame A", new String(out.array(), 3, 7));
        assertEquals(1, s.outstanding(), "request 10 still outstanding");
        s.push(12, Fingerprint.EMPTY, T0);
        assertEquals(12, s.take(fp("frame A"), T0), "skips request 10, whose payload this is");
        assertEquals(10, s.take(fp("frame B"), T0));
        assertEquals(-1, s.take(fp("frame B"), T0));
        assertFalse(s.accept(10), "a duplicate request is refused");
    }

    @Test
    void serverDropsOldestBeyondBacklogAndExpiresByAge() {
        IcmpOptions o = new IcmpOptions(2, 4, 2, 20_000, 10_000, 60_000, 16, true);
        EchoServer s = new EchoServer(o, 100);
        for (int i = 0; i < 6; i++) {
            s.push(i, Fingerprint.EMPTY, T0 + i * 1000);
        }
        assertEquals(4, s.outstanding());
        assertEquals(2, s.overflowed());
        assertEquals(3, s.take(fp("x"), T0 + 22_500), "2 is 20.5 s old: expired; 3 is the oldest left");
        assertEquals(1, s.expired());
        assertTrue(s.enqueue(ByteBuffer.allocate(100), 1));
        assertTrue(s.enqueue(ByteBuffer.allocate(100), 2));
        assertFalse(s.enqueue(ByteBuffer.allocate(100), 3), "queue bounded");
        assertFalse(new EchoServer(o, 100).enqueue(ByteBuffer.allocate(101), 4), "too large for a slot");
    }

    /** Both ledgers through a lossy, reordering path: no reply for an unknown or twice-answered request. */
    @Test
    void ledgersStayConsistentUnderLossAndReordering() {
        Random r = new Random(5);
        EchoClient c = new EchoClient(OPTS, 9, 65_000, T0);
        EchoServer s = new EchoServer(OPTS, 1472);
        Deque<long[]> up = new ArrayDeque<>(); // seq, fp
        Deque<long[]> down = new ArrayDeque<>(); // seq, fp
        Set<Integer> answered = new HashSet<>();
        Set<Integer> sent = new HashSet<>();
        long now = T0;
        int delivered = 0;
        for (int step = 0; step < 40_000; step++) { // fewer than 65 536 requests: no wrap to account for
            now += r.nextInt(2);
            // Client: sometimes a frame, always top up credit.
            if (r.nextInt(4) == 0) {
                long f = r.nextLong();
                int seq = c.nextRequest(f, now);
                sent.add(seq);
                up.add(new long[] {seq, f});
                if (!c.isConfirmed()) {
                    int spare = c.nextRequest(Fingerprint.EMPTY, now);
                    sent.add(spare);
                    up.add(new long[] {spare, Fingerprint.EMPTY});
                }
            }
            for (int k = c.creditsWanted(); k > 0; k--) {
                int seq = c.nextRequest(Fingerprint.EMPTY, now);
                sent.add(seq);
                up.add(new long[] {seq, Fingerprint.EMPTY});
            }
            // Path: 5 % loss, some reordering.
            if (!up.isEmpty()) {
                long[] q = r.nextInt(10) == 0 && up.size() > 1 ? up.removeLast() : up.removeFirst();
                if (r.nextInt(20) != 0) {
                    if (s.accept((int) q[0])) {
                        s.push((int) q[0], q[1], now);
                    }
                    if (q[1] != Fingerprint.EMPTY) {
                        s.authenticated((int) q[0]); // a frame: the host finds it authentic
                    }
                }
            }
            // Server: a frame now and then.
            if (r.nextInt(3) == 0) {
                long f = r.nextLong();
                int seq = s.take(f, now);
                if (seq >= 0) {
                    assertTrue(sent.contains(seq), "answers only what was asked");
                    assertTrue(answered.add(seq), "answers once");
                    down.add(new long[] {seq, f});
                }
            }
            if (!down.isEmpty()) {
                long[] a = down.removeFirst();
                if (r.nextInt(20) != 0 && c.onReply((int) a[0], a[1], 100, now) == EchoClient.REPLY_SERVER) {
                    delivered++;
                }
            }
            c.expire(now);
        }
        assertTrue(sent.size() < 65_536 && delivered > 8_000, "frames flowed down: " + delivered);
        assertTrue(c.outstanding() <= OPTS.backlog() && s.outstanding() <= OPTS.backlog());
        assertTrue(Math.abs(c.outstanding() - s.outstanding()) <= OPTS.credit(),
                "the client's belief is close to what the server holds: " + c.outstanding() + " vs " + s.outstanding());
    }
}
