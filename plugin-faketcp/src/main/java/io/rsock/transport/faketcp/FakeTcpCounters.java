package io.rsock.transport.faketcp;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.TransportContext;
import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import io.rsock.api.packet.PacketFilter;
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
    final Counter rstLimited;
    final Counter challenged;
    final Counter challengeAcks;
    final Counter unauthenticatedPayload;
    final Counter synStranger;

    FakeTcpCounters(TransportContext ctx) {
        truncated = ctx.counter("tcp.drop_truncated", CounterKind.DROP,
                "captured packets shorter than the IPv4 and TCP headers they claim");
        badChecksum = ctx.counter("tcp.drop_bad_checksum", CounterKind.DROP,
                "segments with a wrong TCP checksum");
        partialChecksum = ctx.counter("tcp.partial_checksum", CounterKind.TRAFFIC,
                "segments taken with only the pseudo-header checksum (merged by GRO before the capture)");
        fragment = ctx.counter("tcp.drop_fragment", CounterKind.DROP,
                "IPv4 fragments (the tunnel never sends any)");
        badFlags = ctx.counter("tcp.drop_bad_flags", CounterKind.DROP,
                "segments with flags no state of the conn accepts");
        outOfWindow = ctx.counter("tcp.drop_out_of_window", CounterKind.DROP,
                "segments outside the receive window (stale, or forged)");
        badAck = ctx.counter("tcp.drop_bad_ack", CounterKind.DROP,
                "segments acknowledging bytes never sent");
        noConn = ctx.counter("tcp.drop_no_conn", CounterKind.DROP,
                "segments of no conn of ours (answered as a closed port, at most tcp.rst-rate RSTs a second, or not with tcp.stranger=drop)");
        synDropped = ctx.counter("tcp.syn_dropped", CounterKind.DROP,
                "SYNs dropped: tcp.half-open-limit conns were half-open already");
        rstReceived = ctx.counter("tcp.rst_received", CounterKind.TRAFFIC,
                "conns the peer reset");
        finReceived = ctx.counter("tcp.fin_received", CounterKind.TRAFFIC,
                "conns the peer finished");
        synRetries = ctx.counter("tcp.syn_retries", CounterKind.TRAFFIC,
                "SYNs sent again after no SYN-ACK came in time");
        handshakeTimeouts = ctx.counter("tcp.handshake_timeouts", CounterKind.TRAFFIC,
                "dials given up: no SYN-ACK after tcp.syn-retries retries");
        halfOpenTimeouts = ctx.counter("tcp.half_open_timeouts", CounterKind.TRAFFIC,
                "server conns dropped: no data within tcp.half-open-timeout of their SYN");
        idleTimeouts = ctx.counter("tcp.idle_timeouts", CounterKind.TRAFFIC,
                "conns closed after tcp.idle-timeout without a segment");
        acksSent = ctx.counter("tcp.acks_sent", CounterKind.TRAFFIC,
                "pure ACKs sent for data nothing else acknowledged");
        keepalivesSent = ctx.counter("tcp.keepalives_sent", CounterKind.TRAFFIC,
                "keepalive ACKs sent on idle conns");
        sendDropped = ctx.counter("tcp.send_dropped", CounterKind.DROP,
                "segments the packet layer refused (send buffer full, no route)");
        windowFull = ctx.counter("tcp.send_window_full", CounterKind.DROP,
                "frames refused: the peer's receive window was full");
        rstLimited = ctx.counter("tcp.rst_limited", CounterKind.DROP,
                "segments of unknown flows left unanswered: over tcp.rst-rate RSTs a second");
        challenged = ctx.counter("tcp.drop_challenged", CounterKind.DROP,
                "RST, SYN or ACK segments RFC 5961 refuses (not exactly where the conn is): answered with a challenge ACK");
        challengeAcks = ctx.counter("tcp.challenge_acks", CounterKind.TRAFFIC,
                "challenge ACKs sent (RFC 5961), at most one per conn every 500 ms");
        unauthenticatedPayload = ctx.counter("tcp.unauthenticated_payload", CounterKind.DROP,
                "data segments whose frames did not authenticate: never acknowledged");
        synStranger = ctx.counter("tcp.syn_stranger", CounterKind.DROP,
                "SYNs without a valid handshake token (scanners, a wrong secret, a replay): answered as a closed port");
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
        Ipv4.Captured captured = Ip.check(b, ip, PacketFilter.TCP);
        if (captured != Ipv4.Captured.WHOLE) {
            (captured == Ipv4.Captured.FRAGMENT ? fragment : truncated).increment();
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
    boolean refused(Segment seg) {
        switch (seg) {
            case BAD_FLAGS:
                badFlags.increment();
                return true;
            case OUT_OF_WINDOW:
                outOfWindow.increment();
                return true;
            case BAD_ACK:
                badAck.increment();
                return true;
            case CHALLENGED:
                challenged.increment();
                return true;
            default:
                return false;
        }
    }
}
