package io.rsock.core.host;

import io.rsock.core.stats.Counters;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a minute, one log line when frames failed authentication since the last one: a scan or a
 * client with the wrong {@code --hash} shows in the log without a line per packet (which would let
 * anyone fill the disk).
 */
final class AuthFailureSummary implements Runnable {
    static final long PERIOD_S = 60;
    private static final Logger log = LoggerFactory.getLogger(AuthFailureSummary.class);
    private static final String[] WATCHED = {"frame.bad_mac", "frame.replayed", "frame.reflected", "frame.unknown_client",
        "frame.bad_version", "frame.truncated", "hello.stale", "hello.replayed", "hello.refused_full",
        "conn.unauthenticated_closed", "conn.not_admitted", "tcp.syn_stranger", "handshake.replayed"};

    private final Counters counters;
    private final long[] last = new long[WATCHED.length];

    AuthFailureSummary(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void run() {
        Map<String, Long> now = counters.snapshot();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < WATCHED.length; i++) {
            long v = now.getOrDefault(WATCHED[i], 0L);
            long delta = v - last[i];
            last[i] = v;
            if (delta > 0) {
                line.append(line.length() == 0 ? "" : ", ").append(delta).append(' ').append(WATCHED[i]);
            }
        }
        if (line.length() > 0) {
            log.warn("in the last {} s, dropped unauthenticated: {} (a wrong --hash, clocks apart, or someone probing the ports)",
                    PERIOD_S, line);
        }
    }
}
