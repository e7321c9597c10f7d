package io.rsock.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines one class logs while a test runs: open it before, close it after. */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(Class<?> of) {
        this.logger = (Logger) LoggerFactory.getLogger(of);
        appender.start();
        logger.addAppender(appender);
    }

    public static CapturedLog of(Class<?> logging) {
        return new CapturedLog(logging);
    }

    /** Each line so far, formatted. */
    public List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
