package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rsock.core.stats.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per interval for frames that failed authentication, only when there were some, with the counts of that interval. */
class AuthFailureSummaryTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuthFailureSummary.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void summarisesEachIntervalsFailuresInOneLine() {
        Counters counters = new Counters();
        AuthFailureSummary summary = new AuthFailureSummary(counters);
        summary.run();
        assertEquals(0, lines.list.size(), "nothing failed, nothing said");

        counters.get("frame.bad_mac").add(1204);
        counters.get("conn.unauthenticated_closed").add(3);
        summary.run();
        assertEquals(1, lines.list.size());
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.contains("1204 frame.bad_mac") && line.contains("3 conn.unauthenticated_closed"), line);

        summary.run();
        assertEquals(1, lines.list.size(), "a quiet interval adds no line");

        counters.get("frame.bad_mac").add(5);
        summary.run();
        assertTrue(lines.list.get(1).getFormattedMessage().contains("5 frame.bad_mac"), "counts are per interval");
    }
}
