package io.rsock.transport.icmp;

import io.rsock.api.Counter;
import io.rsock.api.TransportContext;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
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
    final Counter receiverErrors;

    IcmpCounters(TransportContext ctx) {
        truncated = ctx.counter("icmp.drop_truncated");
        fragment = ctx.counter("icmp.drop_fragment");
        badChecksum = ctx.counter("icmp.drop_bad_checksum");
        otherType = ctx.counter("icmp.drop_other_type");
        foreign = ctx.counter("icmp.drop_foreign");
        duplicate = ctx.counter("icmp.drop_duplicate");
        connLimit = ctx.counter("icmp.drop_conn_limit");
        kernelEcho = ctx.counter("icmp.drop_kernel_echo");
        noConn = ctx.counter("icmp.drop_no_conn");
        creditsSent = ctx.counter("icmp.credits_sent");
        keepalivesSent = ctx.counter("icmp.keepalives_sent");
        requestsOverflowed = ctx.counter("icmp.requests_overflowed");
        requestsExpired = ctx.counter("icmp.requests_expired");
        sendQueued = ctx.counter("icmp.send_queued");
        sendNoRequest = ctx.counter("icmp.send_no_request");
        sendDropped = ctx.counter("icmp.send_dropped");
        idleTimeouts = ctx.counter("icmp.idle_timeouts");
        rulesInstalled = ctx.counter("icmp.rules_installed");
        ruleFailures = ctx.counter("icmp.rule_failures");
        receiverErrors = ctx.counter("icmp.receiver_errors");
    }

    /**
     * Checks a captured packet before anything else reads it: a whole unfragmented IPv4 packet at
     * {@code ip} carrying ICMP, or IPv6 carrying ICMPv6, and the right checksum (ICMPv6's over the
     * pseudo-header).
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
