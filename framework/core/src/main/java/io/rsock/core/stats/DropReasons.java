package io.rsock.core.stats;

import io.rsock.api.CounterKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which counters count something dropped, and why, in words: what {@code rsock status} lists
 * under "drops". The host's are listed here; a transport's are those it declared as a drop or an
 * error ({@link io.rsock.api.TransportContext#counter(String, CounterKind, String)}), never guessed
 * from their names.
 */
public final class DropReasons {
    /** The host's drop counters, always listed (zero included), with what each means. */
    private static final Map<String, String> HOST = new LinkedHashMap<>();
    /** The host's counters of what it let through that belong with those drops: declared, never listed as drops. */
    private static final Map<String, String> HOST_TRAFFIC = Map.of(
            "hello.accepted", "HELLO fresh and new: the client's run associated with this server's run",
            "conn.gone_sent", "CONN_GONE frames sent: a conn reset (RST, FIN) here, told to the other end",
            "conn.gone_received", "conns left at the other end's word (CONN_GONE): reset there");

    static {
        HOST.put("frame.bad_mac", "frame failed authentication (wrong --hash, or forged)");
        HOST.put("frame.replayed", "frame seen before or older than the replay window");
        HOST.put("frame.bad_version", "frame of an unknown version");
        HOST.put("frame.bad_type", "frame of an unknown type");
        HOST.put("frame.truncated", "frame shorter than its header says");
        HOST.put("frame.reflected", "frame of this end's own direction sent back to it");
        HOST.put("frame.unknown_client", "frame of a client (or server run) this end holds no keys for");
        HOST.put("hello.stale", "HELLO more than 30 s from this clock (a copy, or clocks apart)");
        HOST.put("hello.replayed", "HELLO whose nonce was seen before");
        HOST.put("hello.refused_full", "HELLO refused: the memory of recent HELLOs is full");
        HOST.put("hello.malformed", "HELLO too short");
        HOST.put("frame.unexpected_type", "frame type not expected on this side");
        HOST.put("frame.short_heartbeat", "heartbeat too short to carry a delivery report");
        HOST.put("conn.unauthenticated_closed", "conn closed: nothing authenticated on it");
        HOST.put("conn.rejected", "conn refused: too many conns");
        HOST.put("conn.not_admitted", "a stranger's first packet, not shaped like a frame: no conn");
        HOST.put("handshake.replayed", "handshake token seen before (a replayed SYN)");
        HOST.put("handshake.memory_full", "good handshake token refused: too many accepted in 3 minutes");
        HOST.put("conn.unknown", "frame on a conn already forgotten");
        HOST.put("client.rejected", "client refused: too many clients");
        HOST.put("data.too_large", "datagram too large even in 15 fragments");
        HOST.put("data.no_session", "reply for a session that has ended");
        HOST.put("fragment.dropped", "fragments never completed (a piece was lost)");
        HOST.put("tunnel.no_conn", "datagram with no open conn to carry it");
        HOST.put("tunnel.send_failed", "frame the transport refused to send");
        HOST.put("session.evicted", "flow dropped: --max-sessions reached");
        HOST.put("session.open_failed", "flow dropped: no socket towards -t");
        HOST.put("app.queue_dropped", "app datagram the kernel dropped: the client's queue from the app held ~2 ms of traffic");
        HOST.put("app.send_failed", "reply the app's socket refused");
        HOST.put("target.error", "datagram the target's socket refused");
    }

    private DropReasons() {
    }

    /** Declares the host's drop counters, and the traffic counters that go with them, in {@code counters}. */
    static void declareHost(Counters counters) {
        HOST.forEach((name, help) -> counters.declare(name, CounterKind.DROP, help));
        HOST_TRAFFIC.forEach((name, help) -> counters.declare(name, CounterKind.TRAFFIC, help));
    }

    /**
     * The drop counters of {@code counters} with their values: every counter declared as a
     * {@link CounterKind#DROP} or an {@link CounterKind#ERROR}, the host's first (zero included), then
     * the transports' by name.
     */
    public static Map<String, Long> of(Counters counters) {
        Map<String, Long> values = counters.snapshot();
        Map<String, Long> out = new LinkedHashMap<>();
        HOST.keySet().forEach(k -> out.put(k, values.getOrDefault(k, 0L)));
        dropDeclarations(counters).forEach((k, d) -> out.putIfAbsent(k, values.getOrDefault(k, 0L)));
        return out;
    }

    /** What each drop counter of {@link #of} counts, in the words it was declared with. */
    public static Map<String, String> reasons(Counters counters) {
        Map<String, String> out = new LinkedHashMap<>(HOST);
        dropDeclarations(counters).forEach((k, d) -> out.putIfAbsent(k, d.help()));
        return out;
    }

    /** What the host's drop counter {@code counter} counts, in words; null for any other counter. */
    public static String describe(String counter) {
        return HOST.get(counter);
    }

    private static Map<String, Counters.Declaration> dropDeclarations(Counters counters) {
        Map<String, Counters.Declaration> out = new TreeMap<>();
        counters.declarations().forEach((k, d) -> {
            if (d.kind() != CounterKind.TRAFFIC) {
                out.put(k, d);
            }
        });
        return out;
    }
}
