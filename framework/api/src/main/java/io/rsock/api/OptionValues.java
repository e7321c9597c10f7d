package io.rsock.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the values of transport options ({@link TransportContext#option}) the same way for every
 * plugin, with an error that names the option and says what was expected, for the user to read.
 */
public final class OptionValues {
    /** The smallest path MTU {@code --opt mtu} accepts: what every IPv4 host must take in one datagram. */
    public static final int MIN_MTU = 576;
    /** The largest: an IPv4 packet's. */
    public static final int MAX_MTU = 65535;

    private OptionValues() {
    }

    /**
     * The path MTU the user set with {@code --opt mtu} ({@value #MIN_MTU} to {@value #MAX_MTU}), or
     * {@code dflt} when absent; what {@link TransportContext#pathMtu} answers when it was set.
     */
    public static int mtu(Optional<String> value, int dflt) throws TransportException {
        return integer(value, "mtu", dflt, MIN_MTU, MAX_MTU);
    }

    /** A whole number from {@code min} to {@code max}, or {@code dflt} when the option is absent. */
    public static int integer(Optional<String> value, String key, int dflt, int min, int max) throws TransportException {
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TransportException("option " + key + ": expected a whole number from " + min + " to " + max + ", got '"
                + value.get() + "'");
    }

    /** {@code true/yes/1} or {@code false/no/0}, or {@code dflt} when the option is absent. */
    public static boolean bool(Optional<String> value, String key, boolean dflt) throws TransportException {
        if (value.isEmpty()) {
            return dflt;
        }
        String s = value.get().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("yes") || s.equals("1")) {
            return true;
        }
        if (s.equals("false") || s.equals("no") || s.equals("0")) {
            return false;
        }
        throw new TransportException("option " + key + ": expected true or false, got '" + value.get() + "'");
    }

    /**
     * A positive duration: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a plain number of
     * seconds; {@code dflt} when the option is absent.
     */
    public static Duration duration(Optional<String> value, String key, Duration dflt) throws TransportException {
        if (value.isEmpty()) {
            return dflt;
        }
        String s = value.get().trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else {
                d = Duration.ofSeconds(Long.parseLong(s));
            }
            if (d.toMillis() > 0) {
                return d;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new TransportException("option " + key + ": expected a positive duration such as 250ms, 30s or 2m, got '"
                + value.get() + "'");
    }
}
