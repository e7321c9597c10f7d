package io.rsock.transport.faketcp;

import static io.rsock.transport.faketcp.Wire.CLIENT;
import static io.rsock.transport.faketcp.Wire.CPORT;
import static io.rsock.transport.faketcp.Wire.MTU;
import static io.rsock.transport.faketcp.Wire.SERVER;
import static io.rsock.transport.faketcp.Wire.SPORT;
import static io.rsock.transport.faketcp.Wire.ack;
import static io.rsock.transport.faketcp.Wire.flags;
import static io.rsock.transport.faketcp.Wire.payload;
import static io.rsock.transport.faketcp.Wire.seq;
import static io.rsock.transport.faketcp.Wire.take;
import static io.rsock.transport.faketcp.Wire.tsEcr;
import static io.rsock.transport.faketcp.Wire.tsVal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The state machine alone, driven with packets in memory: no transport, no threads, a manual clock. */
class TcpEndpointTest {
    private static final FakeTcpOptions OPTS = FakeTcpOptions.defaults();
    private final ByteBuffer out = ByteBuffer.allocate(MTU);
    private long now = 1_000_000;

    private TcpEndpoint client;
    private TcpEndpoint server;

    private TcpEndpoint newClient(int iss) {
        return TcpEndpoint.connect(OPTS, MTU, CLIENT, CPORT, SERVER, SPORT, iss, 12345, 77, now);
    }

    /** Runs the handshake with the given ISNs; returns the SYN, SYN-ACK and ACK. */
    private ByteBuffer[] handshake(int clientIss, int serverIss) {
        client = newClient(clientIss);
        ByteBuffer syn = take(out, client.writeSyn(out, now));
        server = TcpEndpoint.accept(OPTS, MTU, syn, 0, serverIss, 999, 5, now);
        ByteBuffer synAck = take(out, server.writeSynAck(out, now));
        now += 3;
        assertEquals(Segment.CONNECTED, in(client, synAck));
        assertEquals(Reply.ACK, client.reply());
        ByteBuffer ack = take(out, client.writeReply(out, now));
        assertEquals(Segment.ESTABLISHED, in(server, ack));
        return new ByteBuffer[] {syn, synAck, ack};
    }

    /** {@code e} receives {@code p}; data is taken as authentic, as the host would find our peer's frames. */
    private Segment in(TcpEndpoint e, ByteBuffer p) {
        Segment r = e.onSegment(p, 0, now);
        if (r == Segment.DATA) {
            e.acceptPayload();
        }
        return r;
    }

    private ByteBuffer data(TcpEndpoint from, String text) {
        int n = from.writeData(out, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), now);
        return take(out, n);
    }

    private static String text(ByteBuffer p) {
        return new String(payload(p), StandardCharsets.US_ASCII);
    }

    @Test
    void handshakeCarriesLinuxOptionsAndEveryLaterSegmentTimestamps() {
        ByteBuffer[] hs = handshake(1000, 5000);
        ByteBuffer syn = hs[0];
        assertEquals(Tcp.SYN, flags(syn));
        assertEquals(1000, seq(syn));
        assertEquals(0, ack(syn));
        assertEquals(CLIENT.v4(), Ipv4.source(syn, 0));
        assertEquals(SERVER.v4(), Ipv4.destination(syn, 0));
        assertEquals(CPORT, Tcp.sourcePort(syn, 20));
        assertEquals(SPORT, Tcp.destinationPort(syn, 20));
        assertEquals(MTU - 40, Tcp.mss(syn, 20));
        assertTrue(Tcp.sackPermitted(syn, 20));
        assertEquals(7, Tcp.windowScale(syn, 20));
        assertEquals(0, tsEcr(syn));
        assertEquals(40, Tcp.headerLength(syn, 20), "Linux's 20 option bytes");

        ByteBuffer synAck = hs[1];
        assertEquals(Tcp.SYN | Tcp.ACK, flags(synAck));
        assertEquals(5000, seq(synAck));
        assertEquals(1001, ack(synAck));
        assertEquals(MTU - 40, Tcp.mss(synAck, 20));
        assertTrue(Tcp.sackPermitted(synAck, 20));
        assertEquals(7, Tcp.windowScale(synAck, 20));
        assertEquals(tsVal(syn), tsEcr(synAck), "SYN-ACK echoes the SYN's TSval");

        ByteBuffer ack = hs[2];
        assertEquals(Tcp.ACK, flags(ack));
        assertEquals(1001, seq(ack));
        assertEquals(5001, ack(ack));
        assertEquals(tsVal(synAck), tsEcr(ack));
        assertEquals(TcpEndpoint.State.ESTABLISHED, client.state());
        assertEquals(TcpEndpoint.State.ESTABLISHED, server.state());

        now += 5;
        ByteBuffer up = data(client, "hello");
        assertEquals(Tcp.ACK | Tcp.PSH, flags(up));
        assertEquals(1001, seq(up));
        assertEquals(5001, ack(up));
        assertEquals(tsVal(ack) + 5, tsVal(up), "TSval is a millisecond clock");
        assertEquals(Segment.DATA, in(server, up));
        assertEquals("hello", new String(payload(up), StandardCharsets.US_ASCII));
        assertEquals(5, server.payloadLength());
        ByteBuffer down = data(server, "world!");
        assertEquals(5001, seq(down));
        assertEquals(1006, ack(down), "acknowledges exactly the 5 bytes received");
        assertEquals(tsVal(up), tsEcr(down));
        assertEquals(Segment.DATA, in(client, down));
        ByteBuffer up2 = data(client, "again");
        assertEquals(1006, seq(up2));
        assertEquals(5007, ack(up2));
        assertEquals(tsVal(down), tsEcr(up2));
        assertEquals(Tcp.ALIGNED_TIMESTAMPS_LENGTH + 20, Tcp.headerLength(up2, 20));
        assertEquals(MTU - 52, client.maxPayload());
    }

    @Test
    void sequenceAndAckArithmeticAcrossTheWrap() {
        handshake(0xFFFF_FFF0, 0xFFFF_FFFE);
        int expectClient = 0xFFFF_FFF1;
        int expectServer = 0xFFFF_FFFF;
        for (int i = 0; i < 10; i++) {
            ByteBuffer up = data(client, "1234567");
            assertEquals(expectClient, seq(up));
            assertEquals(Segment.DATA, in(server, up));
            expectClient += 7;
            ByteBuffer down = data(server, "abc");
            assertEquals(expectServer, seq(down));
            assertEquals(expectClient, ack(down));
            assertEquals(Segment.DATA, in(client, down));
            expectServer += 3;
            assertEquals(expectServer, client.rcvNxt());
        }
        assertEquals(0xFFFF_FFF1 + 70, server.rcvNxt());
        assertEquals(0x37, server.rcvNxt(), "wrapped past zero");
        assertEquals(server.rcvNxt(), client.sndNxt());
        assertEquals(client.sndNxt(), client.sndUna() + 0, "everything the client sent is acknowledged");
    }

    @Test
    void lostAndReorderedSegmentsAreDeliveredAndAckedAtTheHighestSeen() {
        handshake(0x7FFF_FFF0, 42); // the signed-int edge: plain '<' would get this wrong
        ByteBuffer[] seg = new ByteBuffer[5];
        for (int i = 0; i < 5; i++) {
            seg[i] = data(client, "seg" + i);
        }
        int base = seq(seg[0]);
        assertEquals(Segment.DATA, in(server, seg[2]));
        assertEquals(base + 12, server.rcvNxt(), "ahead of a hole: ack the highest seen");
        assertEquals(Segment.DATA, in(server, seg[0]));
        assertEquals(base + 12, server.rcvNxt(), "an old segment does not move the ack back");
        assertEquals(Segment.DATA, in(server, seg[4]));
        assertEquals(base + 20, server.rcvNxt());
        assertEquals(Segment.DATA, in(server, seg[1]), "late segments still reach the app");
        assertEquals("seg1", new String(payload(seg[1]), StandardCharsets.US_ASCII));
        assertEquals(base + 20, server.rcvNxt());
        // seg[3] is lost for good: the ack covers it anyway, and the client accepts that ack.
        ByteBuffer down = data(server, "x");
        assertEquals(base + 20, ack(down));
        assertEquals(Segment.DATA, in(client, down));
        assertEquals(client.sndNxt(), client.sndUna());
        assertEquals(Segment.DATA, in(server, seg[2]), "a duplicate is delivered too (the host dedups)");
    }

    @Test
    void outOfWindowAndBogusAcksAreRefused() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        ByteBuffer far = forge(up, seq(up) + 0x4000_0000, ack(up), Tcp.ACK | Tcp.PSH);
        assertEquals(Segment.OUT_OF_WINDOW, in(server, far));
        ByteBuffer ackAhead = forge(up, seq(up), ack(up) + 10, Tcp.ACK | Tcp.PSH);
        assertEquals(Segment.BAD_ACK, in(server, ackAhead), "acks data never sent");
        ByteBuffer noAck = forge(up, seq(up), ack(up), Tcp.PSH);
        assertEquals(Segment.BAD_FLAGS, in(server, noAck));
        assertEquals(101, server.rcvNxt(), "nothing refused moved the ack");
        assertEquals(Segment.DATA, in(server, up));
    }

    @Test
    void rstClosesOnlyAtExactlyRcvNxtAndInWindowOnesGetOneChallengeAck() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        assertEquals(Segment.DATA, in(server, up));
        int rcvNxt = server.rcvNxt();
        ByteBuffer blind = forge(up, rcvNxt + 0x2000_0000, 0, Tcp.RST);
        assertEquals(Segment.OUT_OF_WINDOW, server.onSegment(blind, 0, now));
        assertEquals(Reply.NONE, server.reply(), "outside the window: nothing");
        for (int off : new int[] {1, -1, 2, 1000, -1000, 1 << 20}) {
            now += 1;
            ByteBuffer rst = forge(up, rcvNxt + off, 0, Tcp.RST);
            assertEquals(Segment.CHALLENGED, server.onSegment(rst, 0, now), "offset " + off);
            assertEquals(TcpEndpoint.State.ESTABLISHED, server.state());
        }
        // The first of those got the challenge ACK; the rest fell within the rate limit.
        now += TcpEndpoint.CHALLENGE_INTERVAL_MS;
        assertEquals(Segment.CHALLENGED, server.onSegment(forge(up, rcvNxt + 1, 0, Tcp.RST), 0, now));
        assertEquals(Reply.ACK, server.reply());
        assertTrue(server.challenged());
        ByteBuffer challenge = take(out, server.writeReply(out, now));
        assertEquals(Tcp.ACK, flags(challenge));
        assertEquals(rcvNxt, ack(challenge), "the challenge ACK names the exact sequence number");
        assertEquals(Segment.CHALLENGED, server.onSegment(forge(up, rcvNxt - 1, 0, Tcp.RST), 0, now + 1));
        assertEquals(Reply.NONE, server.reply(), "rate-limited");

        ByteBuffer rst = take(out, client.writeRst(out, now));
        assertEquals(Tcp.RST | Tcp.ACK, flags(rst));
        assertEquals(rcvNxt, seq(rst));
        assertEquals(TcpEndpoint.State.CLOSED, client.state());
        assertEquals(Segment.RESET, server.onSegment(rst, 0, now));
        assertEquals(TcpEndpoint.State.CLOSED, server.state());
        assertEquals(-1, server.writeData(out, ByteBuffer.wrap(new byte[3]), now), "no data after RST");
    }

    /**
     * A middlebox that resets one of the server's segments puts that segment's ack in the RST's seq;
     * the client's data that came meanwhile moved rcv.nxt on. The conn closes all the same (the
     * middlebox has cut it), while a value next to it still only gets a challenge.
     */
    @Test
    void anRstNamingAnAckWeSentRecentlyClosesThoughRcvNxtMovedOn() {
        handshake(100, 200);
        in(server, data(client, "abc"));
        ByteBuffer reply = data(server, "xyz"); // carries ack = rcv.nxt now
        int ackSent = ack(reply);
        ByteBuffer more = data(client, "defg");
        assertEquals(Segment.DATA, in(server, more));
        assertTrue(server.rcvNxt() != ackSent, "rcv.nxt moved on");
        for (int off : new int[] {1, -1}) {
            now += TcpEndpoint.CHALLENGE_INTERVAL_MS;
            assertEquals(Segment.CHALLENGED, server.onSegment(forge(more, ackSent + off, 0, Tcp.RST), 0, now), "offset " + off);
        }
        assertEquals(Segment.RESET, server.onSegment(forge(more, ackSent, 0, Tcp.RST), 0, now));
        assertEquals(TcpEndpoint.State.CLOSED, server.state());
    }

    @Test
    void aPeerWhoseLastSegmentWasLostClosesThroughTheChallenge() {
        handshake(100, 200);
        data(client, "lost"); // never arrives: the server's rcv.nxt is behind the client's snd.nxt
        ByteBuffer rst = take(out, client.writeRst(out, now));
        assertEquals(Segment.CHALLENGED, server.onSegment(rst, 0, now));
        ByteBuffer challenge = take(out, server.writeReply(out, now));
        // The client is gone; a closed port answers an ACK with RST at its ack (RFC 9293 3.10.7.1).
        ByteBuffer answer = ByteBuffer.allocate(64);
        take(answer, TcpEndpoint.writeResetFor(answer, challenge, 0));
        assertEquals(Segment.RESET, server.onSegment(answer, 0, now));
    }

    @Test
    void aSynOnAnOpenConnGetsAChallengeAckAndChangesNothing() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        ByteBuffer syn = forge(up, 12345, 0, Tcp.SYN);
        assertEquals(Segment.CHALLENGED, server.onSegment(syn, 0, now));
        assertEquals(Reply.ACK, server.reply());
        ByteBuffer inWindow = forge(up, server.rcvNxt(), 0, Tcp.SYN);
        assertEquals(Segment.CHALLENGED, server.onSegment(inWindow, 0, now + 1));
        assertEquals(TcpEndpoint.State.ESTABLISHED, server.state());
        assertEquals(Segment.DATA, in(server, up));
    }

    @Test
    void acksFarBehindOrAheadAreDroppedWithAChallenge() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        int una = server.sndUna();
        ByteBuffer behind = forge(up, seq(up), una - 0x4000_0000, Tcp.ACK | Tcp.PSH);
        assertEquals(Segment.BAD_ACK, server.onSegment(behind, 0, now));
        assertEquals(Reply.ACK, server.reply());
        ByteBuffer ahead = forge(up, seq(up), server.sndNxt() + 1, Tcp.ACK | Tcp.PSH);
        assertEquals(Segment.BAD_ACK, server.onSegment(ahead, 0, now + 1));
        assertEquals(101, server.rcvNxt());
        ByteBuffer slightlyBehind = forge(up, seq(up), una - 1000, Tcp.ACK | Tcp.PSH);
        assertEquals(Segment.DATA, in(server, slightlyBehind), "within the peer's window: acceptable");
    }

    @Test
    void unauthenticatedPayloadMovesNeitherTheAckNorTheWindowNorTheEcho() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        assertEquals(Segment.DATA, in(server, up));
        int rcvNxt = server.rcvNxt();
        ByteBuffer forged = forge(up, rcvNxt + 5000, ack(up), Tcp.ACK | Tcp.PSH);
        Tcp.setWindow(forged, 20, 0);
        Ipv4TcpWriter.finish(forged, 0, Wire.payloadLength(forged));
        assertEquals(Segment.DATA, server.onSegment(forged, 0, now), "in the window: handed to the host");
        // ...which finds no authentic frame in it, so acceptPayload is never called.
        assertEquals(rcvNxt, server.rcvNxt());
        ByteBuffer down = data(server, "still sends");
        assertEquals(rcvNxt, ack(down), "acknowledges only what the peer really sent");
        ByteBuffer finAhead = forge(up, rcvNxt + 3, ack(up), Tcp.FIN | Tcp.ACK);
        assertEquals(Segment.CHALLENGED, server.onSegment(finAhead, 0, now + 1000), "a FIN not at rcv.nxt");
        assertEquals(TcpEndpoint.State.ESTABLISHED, server.state());
    }

    @Test
    void theSynCarriesTheTokenOnEveryRetryAndLaterTimestampsFollowTheClock() {
        client = TcpEndpoint.connect(OPTS, MTU, CLIENT, CPORT, SERVER, SPORT, 0xCAFEBABE, 0x1234_5678, 1, now);
        ByteBuffer syn = take(out, client.writeSyn(out, now));
        assertEquals(0xCAFEBABE, seq(syn));
        assertEquals(0x1234_5678, tsVal(syn));
        now += 1000;
        assertEquals(TcpEndpoint.TICK_SEND, client.tick(out, now, false));
        ByteBuffer retry = take(out, client.lastLength());
        assertEquals(0xCAFEBABE, seq(retry));
        assertEquals(0x1234_5678, tsVal(retry), "the token, not the clock");
        server = TcpEndpoint.accept(OPTS, MTU, retry, 0, 9, 9, 9, now);
        ByteBuffer synAck = take(out, server.writeSynAck(out, now));
        assertEquals(Segment.CONNECTED, in(client, synAck));
        ByteBuffer ack = take(out, client.writeReply(out, now));
        assertEquals(0x1234_5678 + 1000, tsVal(ack), "a millisecond clock from the SYN's value on");
    }

    @Test
    void finFromThePeerIsAnsweredWithFinAck() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        in(server, up);
        ByteBuffer fin = take(out, client.writeFin(out, now));
        assertEquals(Tcp.FIN | Tcp.ACK, flags(fin));
        assertEquals(104, seq(fin));
        assertTrue(Tcp.findTimestamps(fin, 20) >= 0);
        assertEquals(Segment.FIN, in(server, fin));
        assertEquals(Reply.FIN, server.reply());
        ByteBuffer finAck = take(out, server.writeReply(out, now));
        assertEquals(Tcp.FIN | Tcp.ACK, flags(finAck));
        assertEquals(105, ack(finAck), "the FIN takes one sequence number");
        assertEquals(TcpEndpoint.State.CLOSED, server.state());
    }

    @Test
    void keepaliveAfterSilenceAndOnlyThen() {
        handshake(100, 200);
        ByteBuffer up = data(client, "abc");
        long start = now;
        now = start + OPTS.keepaliveMillis() - 1;
        assertEquals(TcpEndpoint.TICK_NONE, client.tick(out, now, true));
        now = start + OPTS.keepaliveMillis();
        assertEquals(TcpEndpoint.TICK_SEND, client.tick(out, now, true));
        ByteBuffer ka = take(out, client.lastLength());
        assertEquals(Tcp.ACK, flags(ka));
        assertEquals(seq(up) + 3, seq(ka), "a keepalive is a pure ACK at snd.nxt");
        assertEquals(0, Wire.payloadLength(ka));
        assertEquals(TcpEndpoint.TICK_NONE, client.tick(out, now + 1, true), "the keepalive restarted the idle clock");
        assertEquals(Segment.NONE, in(server, ka));
    }

    @Test
    void idlePeerTimesOut() {
        handshake(100, 200);
        long t = now;
        for (long ms = 0; ms < OPTS.idleMillis(); ms += 1000) {
            int r = client.tick(out, t + ms, true);
            assertTrue(r != TcpEndpoint.TICK_TIMEOUT, "timed out early at " + ms);
        }
        assertEquals(TcpEndpoint.TICK_TIMEOUT, client.tick(out, t + OPTS.idleMillis(), true));
        assertEquals(TcpEndpoint.State.CLOSED, client.state());
    }

    @Test
    void delayedAckAfterTheDelayOrAfterEnoughSegments() {
        handshake(100, 200);
        in(server, data(client, "a"));
        assertEquals(Reply.NONE, server.reply());
        assertEquals(TcpEndpoint.TICK_NONE, server.tick(out, now + OPTS.ackDelayMillis() - 1, true));
        assertEquals(TcpEndpoint.TICK_SEND, server.tick(out, now + OPTS.ackDelayMillis(), true));
        ByteBuffer delayed = take(out, server.lastLength());
        assertEquals(Tcp.ACK, flags(delayed));
        assertEquals(client.sndNxt(), ack(delayed));

        for (int i = 1; i <= OPTS.ackEvery(); i++) {
            assertEquals(Segment.DATA, in(server, data(client, "b" + i)));
            assertEquals(i == OPTS.ackEvery() ? Reply.ACK : Reply.NONE, server.reply(), "segment " + i);
        }
        ByteBuffer ack = take(out, server.writeReply(out, now));
        assertEquals(client.sndNxt(), ack(ack));
        assertEquals(0, server.unackedSegments());
        // Data going back carries the ack: no pure ACK needed.
        in(server, data(client, "c"));
        data(server, "reply");
        assertEquals(TcpEndpoint.TICK_NONE, server.tick(out, now + OPTS.ackDelayMillis(), true));
    }

    @Test
    void synIsRetriedWithBackoffThenTimesOut() {
        client = newClient(777);
        long t0 = now;
        ByteBuffer syn = take(out, client.writeSyn(out, now));
        long[] retries = {1000, 3000, 7000};
        for (long at : retries) {
            assertEquals(TcpEndpoint.TICK_NONE, client.tick(out, t0 + at - 1, false));
            assertEquals(TcpEndpoint.TICK_SEND, client.tick(out, t0 + at, false), "retry at " + at);
            ByteBuffer again = take(out, client.lastLength());
            assertEquals(Tcp.SYN, flags(again));
            assertEquals(seq(syn), seq(again), "same ISN");
        }
        assertEquals(TcpEndpoint.TICK_NONE, client.tick(out, t0 + 15_000 - 1, false));
        assertEquals(TcpEndpoint.TICK_TIMEOUT, client.tick(out, t0 + 15_000, false));
    }

    @Test
    void retransmittedHandshakeSegmentsAreAnswered() {
        client = newClient(100);
        ByteBuffer syn = take(out, client.writeSyn(out, now));
        server = TcpEndpoint.accept(OPTS, MTU, syn, 0, 200, 0, 0, now);
        ByteBuffer synAck = take(out, server.writeSynAck(out, now));
        // The SYN-ACK is lost; the client's retried SYN gets it again.
        assertEquals(Segment.NONE, in(server, syn));
        assertEquals(Reply.SYN_ACK, server.reply());
        ByteBuffer again = take(out, server.writeReply(out, now));
        assertEquals(seq(synAck), seq(again));
        assertEquals(Segment.CONNECTED, in(client, again));
        client.writeReply(out, now); // this ACK is lost...
        assertEquals(Segment.NONE, in(client, synAck), "a late SYN-ACK duplicate");
        assertEquals(Reply.ACK, client.reply());
        // ...and the first data segment completes the server's handshake.
        ByteBuffer up = data(client, "first");
        assertEquals(Segment.DATA, in(server, up));
        assertEquals(TcpEndpoint.State.ESTABLISHED, server.state());
    }

    @Test
    void aClientAnswersAStrayAckWithRst() {
        client = newClient(100);
        ByteBuffer syn = take(out, client.writeSyn(out, now));
        ByteBuffer stray = forge(syn, 5555, 999_999, Tcp.ACK);
        ByteBuffer swapped = swap(stray);
        assertEquals(Segment.BAD_ACK, in(client, swapped));
        assertEquals(Reply.RST, client.reply());
        ByteBuffer rst = take(out, client.writeReply(out, now));
        assertEquals(Tcp.RST, flags(rst));
        assertEquals(999_999, seq(rst), "RST seq = the stray segment's ack");
        assertEquals(TcpEndpoint.State.SYN_SENT, client.state(), "still dialling");
    }

    @Test
    void neverSendsPastThePeersWindow() {
        handshake(100, 200);
        ByteBuffer frame = ByteBuffer.allocate(1000);
        int sent = 0;
        while (client.writeData(out, frame, now) > 0) {
            sent += 1000;
        }
        assertTrue(sent <= TcpEndpoint.SYN_WINDOW && sent > TcpEndpoint.SYN_WINDOW - 1000,
                "the SYN-ACK's unscaled window bounds the first flight: " + sent);
        // One ACK from the server opens the scaled window.
        ByteBuffer ack = take(out, server.writeAck(out, now));
        assertEquals(Segment.NONE, in(client, forge(ack, seq(ack), client.sndNxt(), Tcp.ACK)));
        assertTrue(client.writeData(out, frame, now) > 0);
    }

    /** {@code p} with seq, ack and flags replaced, checksums refilled. */
    private static ByteBuffer forge(ByteBuffer p, int seq, int ack, int flags) {
        ByteBuffer c = ByteBuffer.allocate(p.limit());
        c.put(0, p, 0, p.limit());
        Tcp.setSequence(c, 20, seq);
        Tcp.setAcknowledgment(c, 20, ack);
        Tcp.setFlags(c, 20, flags);
        Ipv4TcpWriter.finish(c, 0, Wire.payloadLength(c));
        return c;
    }

    /** {@code p} sent the other way: addresses and ports swapped. */
    private static ByteBuffer swap(ByteBuffer p) {
        ByteBuffer c = ByteBuffer.allocate(p.limit());
        c.put(0, p, 0, p.limit());
        c.putInt(12, Ipv4.destination(p, 0)).putInt(16, Ipv4.source(p, 0));
        Tcp.setSourcePort(c, 20, Tcp.destinationPort(p, 20));
        Tcp.setDestinationPort(c, 20, Tcp.sourcePort(p, 20));
        Ipv4TcpWriter.finish(c, 0, Wire.payloadLength(c));
        return c;
    }
}
