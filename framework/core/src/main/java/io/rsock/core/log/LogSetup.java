package io.rsock.core.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging for a run: a size-bounded rotating file in the log directory (10 files of 10 MB),
 * plus the console in the foreground. The directory falls back to a user-writable one, with a
 * warning, when the default cannot be written (not root).
 */
public final class LogSetup {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private LogSetup() {
    }

    /**
     * @param dir the requested log directory
     * @param fileName e.g. {@code rsock-server.log}
     * @param console also log to stderr
     * @param verbose DEBUG instead of INFO
     * @return the directory actually used, or null if none was writable (console only)
     */
    public static Path configure(Path dir, String fileName, boolean console, boolean verbose) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : Level.INFO);
        ctx.getLogger("org.pf4j").setLevel(Level.WARN);
        List<String> warnings = new ArrayList<>();
        if (console) {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> out = new ConsoleAppender<>();
            out.setContext(ctx);
            out.setTarget("System.err");
            out.setEncoder(encoder(ctx));
            out.start();
            root.addAppender(out);
        }
        Path used = writableDir(dir, warnings);
        if (used != null) {
            RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new RollingFileAppender<>();
            file.setContext(ctx);
            file.setFile(used.resolve(fileName).toString());
            FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
            rolling.setContext(ctx);
            rolling.setParent(file);
            rolling.setFileNamePattern(used.resolve(fileName + ".%i").toString());
            rolling.setMinIndex(1);
            rolling.setMaxIndex(10);
            rolling.start();
            SizeBasedTriggeringPolicy<ch.qos.logback.classic.spi.ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
            trigger.setContext(ctx);
            trigger.setMaxFileSize(FileSize.valueOf("10MB"));
            trigger.start();
            file.setRollingPolicy(rolling);
            file.setTriggeringPolicy(trigger);
            file.setEncoder(encoder(ctx));
            file.start();
            root.addAppender(file);
        }
        org.slf4j.Logger log = LoggerFactory.getLogger(LogSetup.class);
        warnings.forEach(log::warn);
        return used;
    }

    /** Whether the root logger logs DEBUG. */
    public static boolean verbose() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        return ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isDebugEnabled();
    }

    /** Switches between DEBUG and INFO while running ({@code rsock reload}); appenders stay as they are. */
    public static void verbose(boolean verbose) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.DEBUG : Level.INFO);
    }

    /** Flushes and stops every appender; called last on exit. */
    public static void shutdown() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    private static Path writableDir(Path wanted, List<String> warnings) {
        if (usable(wanted)) {
            return wanted;
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path fallback = state != null && !state.isEmpty() ? Paths.get(state, "rsock")
                : Paths.get(System.getProperty("user.home"), ".local", "state", "rsock");
        if (usable(fallback)) {
            warnings.add("cannot write logs to " + wanted + "; logging to " + fallback + " instead (pass --log DIR)");
            return fallback;
        }
        warnings.add("cannot write logs to " + wanted + " nor " + fallback + "; logging to the console only");
        return null;
    }

    private static boolean usable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isDirectory(dir) && Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(PATTERN);
        enc.start();
        return enc;
    }
}
