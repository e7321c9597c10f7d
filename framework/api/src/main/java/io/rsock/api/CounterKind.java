package io.rsock.api;

/**
 * What a counter counts, declared with it ({@link TransportContext#counter(String, CounterKind, String)}),
 * so that {@code rsock status} and the metrics group it by what it is, not by what its name looks like.
 */
public enum CounterKind {
    /** Normal activity: packets, keepalives, conns opened or expired. Listed under COUNTERS. */
    TRAFFIC,
    /** Something dropped on purpose: a packet that was not ours, a full buffer, a limit reached. Listed under DROPS. */
    DROP,
    /** Something that failed: a socket error, an exception in a callback. Listed under DROPS, since it costs frames too. */
    ERROR
}
