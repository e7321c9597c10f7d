package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.CapturedLog;
import io.rsock.core.stats.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One line per interval for frames that failed authentication, only when there were some, with the counts of that interval. */
class AuthFailureSummaryTest {
    private final CapturedLog log = CapturedLog.of(AuthFailureSummary.class);

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void summarisesEachIntervalsFailuresInOneLine() {
        Counters counters = new Counters();
        AuthFailureSummary summary = new AuthFailureSummary(counters);
        summary.run();
        assertEquals(0, log.lines().size(), "nothing failed, nothing said");

        counters.get("frame.bad_mac").add(1204);
        counters.get("conn.unauthenticated_closed").add(3);
        summary.run();
        assertEquals(1, log.lines().size());
        String line = log.lines().get(0);
        assertTrue(line.contains("1204 frame.bad_mac") && line.contains("3 conn.unauthenticated_closed"), line);

        summary.run();
        assertEquals(1, log.lines().size(), "a quiet interval adds no line");

        counters.get("frame.bad_mac").add(5);
        summary.run();
        assertTrue(log.lines().get(1).contains("5 frame.bad_mac"), "counts are per interval");
    }
}
