package io.rsock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's pauses of one JVM, read from its {@code -Xlog:gc:file=...} log (uptime
 * decorations, the default): how many, the longest, and how many and the longest after a given
 * uptime, so that start-up collections (class loading, plugin scan) are told apart from the ones
 * under traffic.
 *
 * @param count pauses in the whole log
 * @param maxMillis the longest of them
 * @param countAfter pauses that started after {@code afterSeconds} of uptime
 * @param maxMillisAfter the longest of those
 */
record GcPauses(int count, double maxMillis, int countAfter, double maxMillisAfter) {
    /** {@code [12.345s][info][gc] GC(7) Pause Young (Allocation Failure) 10M->2M(16M) 1.234ms} */
    private static final Pattern PAUSE = Pattern.compile("^\\[([0-9.]+)s\\].*\\bPause\\b.*?([0-9.]+)ms\\s*$");

    static final GcPauses NONE = new GcPauses(0, 0, 0, 0);

    /** The pauses in {@code log}'s lines; {@code afterSeconds} splits start-up from traffic. */
    static GcPauses parse(String log, double afterSeconds) {
        int count = 0;
        int countAfter = 0;
        double max = 0;
        double maxAfter = 0;
        for (String line : log.split("\n")) {
            Matcher m = PAUSE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            double uptime = Double.parseDouble(m.group(1));
            double ms = Double.parseDouble(m.group(2));
            count++;
            max = Math.max(max, ms);
            if (uptime >= afterSeconds) {
                countAfter++;
                maxAfter = Math.max(maxAfter, ms);
            }
        }
        return new GcPauses(count, max, countAfter, maxAfter);
    }

    /** The pauses in the log file, or {@link #NONE} when there is none (the JVM never collected). */
    static GcPauses read(Path file, double afterSeconds) {
        try {
            return Files.exists(file) ? parse(Files.readString(file), afterSeconds) : NONE;
        } catch (IOException e) {
            return NONE;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d under traffic (longest %.2f ms), %d in all (longest %.2f ms)", countAfter,
                maxMillisAfter, count, maxMillis);
    }
}
