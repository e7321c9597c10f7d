package io.rsock.core.host;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest frame counter of each client run the server let go of (no conn, no session), in a
 * bounded table. A HELLO of that run again starts its replay window above both the HELLO's counter
 * and this one, so frames of the forgotten association stay replays even if a copy of one of its
 * HELLOs got through (a server clock stepped back past the freshness bound). Bounded: the oldest
 * entries go first; only clients that held the secret ever get here.
 *
 * <p>Thread-safe.
 */
final class ForgottenClients {
    static final int DEFAULT_CAPACITY = 65_536;

    private record Run(int clientId, long clientRun) {
    }

    private final int capacity;
    private final Map<Run, Long> highest;

    ForgottenClients(int capacity) {
        this.capacity = capacity;
        this.highest = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Run, Long> eldest) {
                return size() > ForgottenClients.this.capacity;
            }
        };
    }

    /** Client {@code clientId}'s run {@code clientRun} is forgotten; it had numbered its frames up to {@code counter}. */
    synchronized void remember(int clientId, long clientRun, long counter) {
        highest.merge(new Run(clientId, clientRun), counter, Math::max);
    }

    /** The highest counter remembered of that run, or -1. */
    synchronized long highest(int clientId, long clientRun) {
        return highest.getOrDefault(new Run(clientId, clientRun), -1L);
    }

    synchronized int size() {
        return highest.size();
    }
}
