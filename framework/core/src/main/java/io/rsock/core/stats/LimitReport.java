package io.rsock.core.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Says when a bound was hit: run every interval (the host runs it every {@value #INTERVAL_SECONDS} s),
 * it compares the drop and eviction counters with their values at the last run and, if any grew,
 * emits one line naming each with how much it grew and the flag that raises it. A flood thus costs a
 * line per interval, never one per packet.
 */
public final class LimitReport implements Runnable {
    public static final int INTERVAL_SECONDS = 10;

    /** Each watched counter and the flag or option that raises its bound. */
    public static final Map<String, String> WATCHED;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("session.evicted", "--max-sessions");
        m.put("session.rate_limited", "--max-new-sessions");
        m.put("session.client_limit", "--max-sessions-per-client");
        m.put("client.rejected", "--max-clients");
        m.put("conn.rejected", "--max-conns");
        m.put("conn.client_limit", "--max-conns-per-client");
        m.put("fragment.evicted", "--max-reassembly");
        m.put("tcp.syn_dropped", "--opt tcp.half-open-limit");
        m.put("tcp.rst_limited", "--opt tcp.rst-rate");
        m.put("udp.conns_rejected", "--opt udp.max-conns");
        WATCHED = Collections.unmodifiableMap(m);
    }

    private final Counters counters;
    private final Consumer<String> out;
    private final Map<String, Long> last = new LinkedHashMap<>();

    public LimitReport(Counters counters, Consumer<String> out) {
        this.counters = counters;
        this.out = out;
        for (String name : WATCHED.keySet()) {
            last.put(name, 0L);
        }
    }

    @Override
    public void run() {
        String line = check();
        if (line != null) {
            out.accept(line);
        }
    }

    /** The line to log for what grew since the last call, or null when nothing did. */
    public synchronized String check() {
        Map<String, Long> now = counters.snapshot();
        StringBuilder sb = null;
        for (Map.Entry<String, String> w : WATCHED.entrySet()) {
            long v = now.getOrDefault(w.getKey(), 0L);
            long delta = v - last.get(w.getKey());
            last.put(w.getKey(), v);
            if (delta > 0) {
                if (sb == null) {
                    sb = new StringBuilder("limits hit in the last ").append(INTERVAL_SECONDS).append(" s:");
                }
                sb.append(' ').append(w.getKey()).append('=').append(delta).append(" (").append(w.getValue()).append(')');
            }
        }
        return sb == null ? null : sb.toString();
    }
}
