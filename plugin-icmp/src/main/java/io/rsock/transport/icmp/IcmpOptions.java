package io.rsock.transport.icmp;

import io.rsock.api.OptionValues;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.time.Duration;
import java.util.Map;

/**
 * The ICMP transport's options, read once in {@code start}, each as {@code icmp.<key>}
 * ({@code --opt icmp.credit=128}). Durations are {@code 250ms}, {@code 10s}, {@code 2m} or plain seconds.
 *
 * @param credit {@code credit}: echo requests the client keeps outstanding at the server, so that the server
 *     always has requests to answer with its frames (default 64)
 * @param backlog {@code backlog}: outstanding requests the server keeps per conn, the oldest dropped beyond it;
 *     the client counts with the same number, so both sides must agree (default 1024, rounded up to a power of
 *     two, at least {@code credit})
 * @param queue {@code queue}: frames a server conn holds while no request is outstanding; beyond it, frames are
 *     dropped and counted in {@code icmp.send_no_request} (default 128; the slots, one frame each, are
 *     allocated the first time a frame waits)
 * @param requestMaxAgeMillis {@code request-max-age}: a request older than this is never answered, so that a
 *     reply always comes well within conntrack's 30 s ICMP timeout (default 20 s)
 * @param keepaliveMillis {@code keepalive}: the client sends an empty request after this long without sending
 *     anything, so NAT and conntrack entries stay (default 10 s)
 * @param idleMillis {@code idle-timeout}: a server conn without requests, or a client conn without replies,
 *     this long is closed with TIMEOUT (default 60 s)
 * @param maxConns {@code max-conns}: server conns at most; requests of further clients are dropped and counted
 *     in {@code icmp.drop_conn_limit} (default 4096)
 * @param verifyChecksum {@code verify-checksum}: drop echo packets with a wrong ICMP checksum (default true)
 */
record IcmpOptions(int credit, int backlog, int queue, long requestMaxAgeMillis, long keepaliveMillis, long idleMillis,
        int maxConns, boolean verifyChecksum) {

    IcmpOptions {
        if (credit < 1 || backlog < credit || Integer.bitCount(backlog) != 1) {
            throw new IllegalArgumentException("credit " + credit + ", backlog " + backlog);
        }
    }

    /** The keys {@link #from} reads, for {@code ConnTransport.options()}. */
    static final Map<String, String> KEYS = Map.of(
            "icmp.credit", "echo requests the client keeps outstanding at the server (default 256)",
            "icmp.backlog", "outstanding requests the server keeps per conn; both sides must agree (default 1024)",
            "icmp.queue", "frames a server conn holds while no request is outstanding (default 128)",
            "icmp.request-max-age", "a request older than this is never answered (default 20s)",
            "icmp.keepalive", "the client sends an empty request after this long without sending (default 10s)",
            "icmp.idle-timeout", "a conn without requests or replies this long is closed (default 60s)",
            "icmp.max-conns", "server conns at most (default 4096)",
            "icmp.verify-checksum", "drop echo packets with a wrong ICMP checksum (default true)");

    static IcmpOptions defaults() {
        return new IcmpOptions(256, 1024, 128, 20_000, 10_000, 60_000, 4096, true);
    }

    static IcmpOptions from(TransportContext ctx) throws TransportException {
        IcmpOptions d = defaults();
        int credit = integer(ctx, "credit", d.credit, 1, 4096);
        int backlog = integer(ctx, "backlog", d.backlog, 1, 16384);
        backlog = Integer.highestOneBit(Math.max(backlog, credit) - 1) << 1;
        return new IcmpOptions(credit, Math.max(backlog, 1),
                integer(ctx, "queue", d.queue, 0, 65536),
                millis(ctx, "request-max-age", d.requestMaxAgeMillis),
                millis(ctx, "keepalive", d.keepaliveMillis),
                millis(ctx, "idle-timeout", d.idleMillis),
                integer(ctx, "max-conns", d.maxConns, 1, 1 << 20),
                bool(ctx, "verify-checksum", d.verifyChecksum));
    }

    private static int integer(TransportContext ctx, String key, int dflt, int min, int max) throws TransportException {
        return OptionValues.integer(ctx.option("icmp." + key), "icmp." + key, dflt, min, max);
    }

    private static boolean bool(TransportContext ctx, String key, boolean dflt) throws TransportException {
        return OptionValues.bool(ctx.option("icmp." + key), "icmp." + key, dflt);
    }

    private static long millis(TransportContext ctx, String key, long dflt) throws TransportException {
        return OptionValues.duration(ctx.option("icmp." + key), "icmp." + key, Duration.ofMillis(dflt)).toMillis();
    }
}
