package io.rsock.transport.icmp;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.TransportContext;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketFilter;
import java.nio.ByteBuffer;

/**
 * The transport's counters, looked up once in {@code start} so the packet path only adds. Every
 * captured packet the transport does not use lands in exactly one {@code icmp.drop_*} counter.
 */
final class IcmpCounters {
    final Counter truncated;
    final Counter fragment;
    final Counter badChecksum;
    final Counter otherType;
    final Counter foreign;
    final Counter duplicate;
    final Counter connLimit;
    final Counter kernelEcho;
    final Counter noConn;
    final Counter creditsSent;
    final Counter keepalivesSent;
    final Counter requestsOverflowed;
    final Counter requestsExpired;
    final Counter sendQueued;
    final Counter sendNoRequest;
    final Counter sendDropped;
    final Counter idleTimeouts;
    final Counter rulesInstalled;
    final Counter ruleFailures;

    IcmpCounters(TransportContext ctx) {
        truncated = ctx.counter("icmp.drop_truncated", CounterKind.DROP,
                "captured packets shorter than the IPv4 and ICMP headers they claim");
        fragment = ctx.counter("icmp.drop_fragment", CounterKind.DROP,
                "IPv4 fragments (the tunnel never sends any)");
        badChecksum = ctx.counter("icmp.drop_bad_checksum", CounterKind.DROP,
                "echo packets with a wrong ICMP checksum");
        otherType = ctx.counter("icmp.drop_other_type", CounterKind.DROP,
                "ICMP messages other than the echo this side expects");
        foreign = ctx.counter("icmp.drop_foreign", CounterKind.DROP,
                "echoes of no conn of ours (ordinary pings, strangers)");
        duplicate = ctx.counter("icmp.drop_duplicate", CounterKind.DROP,
                "echo requests seen before (duplicated on the way, or replayed)");
        connLimit = ctx.counter("icmp.drop_conn_limit", CounterKind.DROP,
                "requests of new clients dropped: icmp.max-conns conns already");
        kernelEcho = ctx.counter("icmp.drop_kernel_echo", CounterKind.DROP,
                "the kernel's own echo replies, before the server's firewall rule was in");
        noConn = ctx.counter("icmp.drop_no_conn", CounterKind.DROP,
                "echoes for a conn that had just closed");
        creditsSent = ctx.counter("icmp.credits_sent", CounterKind.TRAFFIC,
                "empty requests sent so that the server has requests to answer with frames");
        keepalivesSent = ctx.counter("icmp.keepalives_sent", CounterKind.TRAFFIC,
                "empty requests sent on idle conns, keeping NAT and conntrack entries");
        requestsOverflowed = ctx.counter("icmp.requests_overflowed", CounterKind.DROP,
                "outstanding requests forgotten, the oldest first, beyond icmp.backlog");
        requestsExpired = ctx.counter("icmp.requests_expired", CounterKind.TRAFFIC,
                "requests forgotten unanswered after icmp.request-max-age");
        sendQueued = ctx.counter("icmp.send_queued", CounterKind.TRAFFIC,
                "frames held until a request arrives to answer");
        sendNoRequest = ctx.counter("icmp.send_no_request", CounterKind.DROP,
                "frames dropped: no request to answer and icmp.queue frames waiting already");
        sendDropped = ctx.counter("icmp.send_dropped", CounterKind.DROP,
                "packets the packet layer refused (send buffer full, no route)");
        idleTimeouts = ctx.counter("icmp.idle_timeouts", CounterKind.TRAFFIC,
                "conns closed after icmp.idle-timeout without an echo");
        rulesInstalled = ctx.counter("icmp.rules_installed", CounterKind.TRAFFIC,
                "firewall rules installed that keep the kernel from answering a conn's requests");
        ruleFailures = ctx.counter("icmp.rule_failures", CounterKind.ERROR,
                "firewall rules that could not be installed (the clients drop the kernel's echoes instead)");
    }

    /**
     * Checks a captured packet before anything else reads it: a whole unfragmented IPv4 packet at
     * {@code ip} carrying ICMP, or IPv6 carrying ICMPv6, and the right checksum (ICMPv6's over the
     * pseudo-header).
     *
     * @return whether the packet may be parsed; a refused packet is counted
     */
    boolean admit(ByteBuffer b, int ip, boolean verifyChecksum) {
        Ipv4.Captured captured = Ip.check(b, ip, PacketFilter.ICMP, PacketFilter.ICMPV6);
        if (captured != Ipv4.Captured.WHOLE) {
            (captured == Ipv4.Captured.FRAGMENT ? fragment : truncated).increment();
            return false;
        }
        if (!Icmp.isValid(b, ip)) {
            truncated.increment();
            return false;
        }
        if (verifyChecksum && !Icmp.verifyPacketChecksum(b, ip)) {
            badChecksum.increment();
            return false;
        }
        return true;
    }
}
