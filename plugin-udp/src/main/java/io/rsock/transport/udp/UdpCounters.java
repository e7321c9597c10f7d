package io.rsock.transport.udp;

import io.rsock.api.Counter;
import io.rsock.api.TransportContext;

/** The UDP transport's counters, looked up once so the hot path only adds. */
final class UdpCounters {
    /** Datagrams from a new remote dropped because the listener had {@code udp.max-conns} conns. */
    final Counter connsRejected;
    /** Server conns closed after {@code udp.idle} without a datagram. */
    final Counter connsExpired;
    /** Frames dropped because the kernel's send buffer was full. */
    final Counter sendFull;
    /** Frames refused for being over {@code maxFrameSize()}. */
    final Counter sendTooLarge;
    /** Frames the kernel refused for another reason (no route, ...). */
    final Counter sendErrors;
    /** Failed reads on a listening socket. */
    final Counter receiveErrors;
    /** Exceptions the host's handler threw into the transport's thread. */
    final Counter handlerErrors;

    UdpCounters(TransportContext ctx) {
        connsRejected = ctx.counter("udp.conns_rejected");
        connsExpired = ctx.counter("udp.conns_expired");
        sendFull = ctx.counter("udp.send_full");
        sendTooLarge = ctx.counter("udp.send_too_large");
        sendErrors = ctx.counter("udp.send_errors");
        receiveErrors = ctx.counter("udp.receive_errors");
        handlerErrors = ctx.counter("udp.handler_errors");
    }
}
