package io.rsock.transport.faketcp;

import io.rsock.api.Counter;
import io.rsock.api.TransportContext;
import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;

/**
 * The transport's counters, looked up once in {@code start} so the packet path only adds. Every
 * dropped segment lands in exactly one {@code tcp.drop_*} counter.
 */
final class FakeTcpCounters {
    final Counter truncated;
    final Counter badChecksum;
    final Counter partialChecksum;
    final Counter fragment;
    final Counter badFlags;
    final Counter outOfWindow;
    final Counter badAck;
    final Counter noConn;
    final Counter synDropped;
    final Counter rstReceived;
    final Counter finReceived;
    final Counter synRetries;
    final Counter handshakeTimeouts;
    final Counter halfOpenTimeouts;
    final Counter idleTimeouts;
    final Counter acksSent;
    final Counter keepalivesSent;
    final Counter sendDropped;
    final Counter windowFull;
    final Counter receiverErrors;
    final Counter rstLimited;
    final Counter challenged;
    final Counter challengeAcks;
    final Counter unauthenticatedPayload;
    final Counter synStranger;

    FakeTcpCounters(TransportContext ctx) {
        truncated = ctx.counter("tcp.drop_truncated");
        badChecksum = ctx.counter("tcp.drop_bad_checksum");
        partialChecksum = ctx.counter("tcp.partial_checksum");
        fragment = ctx.counter("tcp.drop_fragment");
        badFlags = ctx.counter("tcp.drop_bad_flags");
        outOfWindow = ctx.counter("tcp.drop_out_of_window");
        badAck = ctx.counter("tcp.drop_bad_ack");
        noConn = ctx.counter("tcp.drop_no_conn");
        synDropped = ctx.counter("tcp.syn_dropped");
        rstReceived = ctx.counter("tcp.rst_received");
        finReceived = ctx.counter("tcp.fin_received");
        synRetries = ctx.counter("tcp.syn_retries");
        handshakeTimeouts = ctx.counter("tcp.handshake_timeouts");
        halfOpenTimeouts = ctx.counter("tcp.half_open_timeouts");
        idleTimeouts = ctx.counter("tcp.idle_timeouts");
        acksSent = ctx.counter("tcp.acks_sent");
        keepalivesSent = ctx.counter("tcp.keepalives_sent");
        sendDropped = ctx.counter("tcp.send_dropped");
        windowFull = ctx.counter("tcp.send_window_full");
        receiverErrors = ctx.counter("tcp.receiver_errors");
        rstLimited = ctx.counter("tcp.rst_limited");
        challenged = ctx.counter("tcp.drop_challenged");
        challengeAcks = ctx.counter("tcp.challenge_acks");
        unauthenticatedPayload = ctx.counter("tcp.unauthenticated_payload");
        synStranger = ctx.counter("tcp.syn_stranger");
    }

    /**
     * Checks a captured packet before anything else reads it: a whole unfragmented IPv4 or IPv6
     * packet at {@code ip}, protocol TCP, a TCP header within it, and the right checksum (a
     * GRO-merged capture carries only the pseudo-header's partial checksum, which is accepted and
     * counted).
     *
     * @return whether the packet may be parsed; a refused packet is counted
     */
    boolean admit(ByteBuffer b, int ip, boolean verifyChecksum) {
        if (!Ip.isValidHeader(b, ip)) {
            truncated.increment();
            return false;
        }
        if (Ip.isFragment(b, ip)) {
            fragment.increment();
            return false;
        }
        if (Ip.protocol(b, ip) != 6) {
            truncated.increment();
            return false;
        }
        int ihl = Ip.headerLength(b, ip);
        int segLen = Ip.totalLength(b, ip) - ihl;
        if (!Tcp.isValidHeader(b, ip + ihl, segLen)) {
            truncated.increment();
            return false;
        }
        if (verifyChecksum && Checksum.transport(b, ip) != 0) {
            int partial = Checksum.pseudoHeader(b, ip, 6, segLen);
            if (Tcp.checksum(b, ip + ihl) != partial) {
                badChecksum.increment();
                return false;
            }
            partialChecksum.increment();
        }
        return true;
    }

    /** Counts a segment {@link TcpEndpoint#onSegment} refused; returns whether it was refused. */
    boolean refused(int seg) {
        switch (seg) {
            case TcpEndpoint.SEG_BAD_FLAGS:
                badFlags.increment();
                return true;
            case TcpEndpoint.SEG_OUT_OF_WINDOW:
                outOfWindow.increment();
                return true;
            case TcpEndpoint.SEG_BAD_ACK:
                badAck.increment();
                return true;
            case TcpEndpoint.SEG_CHALLENGED:
                challenged.increment();
                return true;
            default:
                return false;
        }
    }
}
