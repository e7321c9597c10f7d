package io.rsock.transport.faketcp;

import io.rsock.api.OptionValues;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fake-TCP transport's options, read once in {@code start}. Each key is looked up as
 * {@code tcp.<key>} (the {@code --opt type.key=value} form, type being {@code tcp}) and then as
 * {@code faketcp.<key>}. Durations are {@code 250ms}, {@code 10s}, {@code 2m} or plain seconds.
 *
 * @param keepaliveMillis {@code keepalive}: a pure ACK goes out after this long without sending (default 10 s)
 * @param ackDelayMillis {@code ack-delay}: received data is acknowledged by a pure ACK at the latest this long
 *     after it arrived, when nothing else carried the ACK (default 40 ms)
 * @param ackEvery {@code ack-every}: a pure ACK goes out at once after this many data segments received
 *     without sending anything back (default 8)
 * @param synRtoMillis {@code syn-rto}: first SYN retransmission timeout, doubled at each retry (default 1 s)
 * @param synRetries {@code syn-retries}: SYN retransmissions before the dial fails with TIMEOUT (default 3)
 * @param halfOpenMillis {@code half-open-timeout}: a server conn with no data this long after its SYN is
 *     dropped (default 10 s)
 * @param halfOpenLimit {@code half-open-limit}: server conns not yet opened, at most, per transport; further
 *     SYNs are dropped and counted in {@code tcp.syn_dropped} (default 1024)
 * @param idleMillis {@code idle-timeout}: an open conn that received nothing this long is closed with TIMEOUT
 *     (default 60 s; the peer's keepalives arrive every 10 s)
 * @param verifyChecksum {@code verify-checksum}: drop segments with a wrong TCP checksum (default true)
 * @param rstPerSecond {@code rst-rate}: RSTs answering segments of unknown flows, at most, per second and
 *     transport; beyond, the segment is dropped unanswered and counted in {@code tcp.rst_limited} (default
 *     200: enough for clients of a restarted server to learn at once, too few to reflect a flood)
 * @param dropStrangers {@code stranger}: what a server port answers a SYN without a good handshake token, and
 *     any segment of a flow it does not know: {@code rst} (default), what a closed port of a Linux host
 *     answers (RST-ACK with sequence number 0, or RST at the segment's ack, window 0, no options); {@code drop},
 *     nothing, for a host whose firewall drops what reaches its closed ports
 */
record FakeTcpOptions(long keepaliveMillis, long ackDelayMillis, int ackEvery, long synRtoMillis, int synRetries,
        long halfOpenMillis, int halfOpenLimit, long idleMillis, boolean verifyChecksum, int rstPerSecond,
        boolean dropStrangers) {

    /** The keys {@link #from} reads: each {@code tcp.<key>}, and its older spelling {@code faketcp.<key>}. */
    static final Map<String, String> KEYS = withAliases(Map.ofEntries(
            Map.entry("keepalive", "a pure ACK goes out after this long without sending (default 10s)"),
            Map.entry("ack-delay", "received data is acknowledged at the latest this long after it arrived (default 40ms)"),
            Map.entry("ack-every", "a pure ACK goes out after this many data segments received (default 8)"),
            Map.entry("syn-rto", "first SYN retransmission timeout, doubled at each retry (default 1s)"),
            Map.entry("syn-retries", "SYN retransmissions before the dial fails (default 3)"),
            Map.entry("half-open-timeout", "a server conn with no data this long after its SYN is dropped (default 10s)"),
            Map.entry("half-open-limit", "server conns not yet opened, at most; further SYNs are dropped (default 1024)"),
            Map.entry("idle-timeout", "an open conn that received nothing this long is closed (default 60s)"),
            Map.entry("verify-checksum", "drop segments with a wrong TCP checksum (default true)"),
            Map.entry("rst-rate", "RSTs a second, at most, answering segments of unknown flows (default 200)"),
            Map.entry("stranger", "what a server port answers a SYN without a valid handshake token: rst, as a closed port (default), or drop")));

    private static Map<String, String> withAliases(Map<String, String> byKey) {
        Map<String, String> out = new HashMap<>();
        byKey.forEach((key, description) -> {
            out.put("tcp." + key, description);
            out.put("faketcp." + key, "same as tcp." + key);
        });
        return Map.copyOf(out);
    }

    /** Every default. */
    static FakeTcpOptions defaults() {
        return new FakeTcpOptions(10_000, 40, 8, 1_000, 3, 10_000, 1024, 60_000, true, 200, false);
    }

    static FakeTcpOptions from(TransportContext ctx) throws TransportException {
        FakeTcpOptions d = defaults();
        return new FakeTcpOptions(
                millis(ctx, "keepalive", d.keepaliveMillis),
                millis(ctx, "ack-delay", d.ackDelayMillis),
                integer(ctx, "ack-every", d.ackEvery, 1, 1 << 20),
                millis(ctx, "syn-rto", d.synRtoMillis),
                integer(ctx, "syn-retries", d.synRetries, 0, 10),
                millis(ctx, "half-open-timeout", d.halfOpenMillis),
                integer(ctx, "half-open-limit", d.halfOpenLimit, 1, 1 << 24),
                millis(ctx, "idle-timeout", d.idleMillis),
                bool(ctx, "verify-checksum", d.verifyChecksum),
                integer(ctx, "rst-rate", d.rstPerSecond, 0, 1 << 24),
                dropStrangers(lookup(ctx, "stranger")));
    }

    private static boolean dropStrangers(Optional<String> v) throws TransportException {
        if (v.isEmpty() || v.get().equals("rst")) {
            return false;
        }
        if (v.get().equals("drop")) {
            return true;
        }
        throw new TransportException("tcp.stranger: '" + v.get() + "' is neither rst (answer as a closed port does) nor drop");
    }

    private static Optional<String> lookup(TransportContext ctx, String key) {
        Optional<String> v = ctx.option("tcp." + key);
        return v.isPresent() ? v : ctx.option("faketcp." + key);
    }

    private static int integer(TransportContext ctx, String key, int dflt, int min, int max) throws TransportException {
        return OptionValues.integer(lookup(ctx, key), "tcp." + key, dflt, min, max);
    }

    private static boolean bool(TransportContext ctx, String key, boolean dflt) throws TransportException {
        return OptionValues.bool(lookup(ctx, key), "tcp." + key, dflt);
    }

    /** {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a plain number of seconds. */
    static long millis(TransportContext ctx, String key, long dflt) throws TransportException {
        return OptionValues.duration(lookup(ctx, key), "tcp." + key, Duration.ofMillis(dflt)).toMillis();
    }
}
