package io.rsock.api.datagram;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.TransportContext;

/** What a {@link DatagramTransport} counts, declared under its type, looked up once so the hot path only adds. */
final class DatagramCounters {
    final Counter badDatagrams;
    final Counter truncated;
    final Counter connsRejected;
    final Counter connsExpired;
    final Counter sendFull;
    final Counter sendTooLarge;
    final Counter sendErrors;
    final Counter receiveErrors;
    final Counter handlerErrors;

    DatagramCounters(TransportContext ctx, String type) {
        badDatagrams = ctx.counter(type + ".bad_datagrams", CounterKind.DROP,
                "datagrams that were not this transport's (strangers, scanners, garbage)");
        truncated = ctx.counter(type + ".receive_truncated", CounterKind.DROP,
                "datagrams longer than the receive buffer, cut and dropped");
        connsRejected = ctx.counter(type + ".conns_rejected", CounterKind.DROP,
                "datagrams from a new remote dropped: the port had " + DatagramOptions.maxConnsKey(type) + " conns");
        connsExpired = ctx.counter(type + ".conns_expired", CounterKind.TRAFFIC,
                "server conns closed after " + DatagramOptions.idleKey(type) + " without a datagram");
        sendFull = ctx.counter(type + ".send_full", CounterKind.DROP, "frames dropped: the kernel's send buffer was full");
        sendTooLarge = ctx.counter(type + ".send_too_large", CounterKind.DROP,
                "frames refused: larger than the conn's largest frame");
        sendErrors = ctx.counter(type + ".send_errors", CounterKind.ERROR,
                "frames the kernel refused for another reason (no route, ...)");
        receiveErrors = ctx.counter(type + ".receive_errors", CounterKind.ERROR, "failed reads on a listening socket");
        handlerErrors = ctx.counter(type + ".handler_errors", CounterKind.ERROR,
                "exceptions the host's handler threw into the transport's thread");
    }
}
