package io.rsock.packet.firewall;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a run's table (nftables) or chain (iptables): {@code rsock_<pid>}, plus
 * {@code _<n>} for a second manager in the same process. A user sees whose rules they are, and a
 * later run can tell from the pid whether their owner is still alive.
 */
public final class RunName {
    private static final Pattern NAME = Pattern.compile("rsock_(\\d+)(?:_\\d+)?");

    private RunName() {
    }

    public static String of(long pid, int instance) {
        return instance == 0 ? "rsock_" + pid : "rsock_" + pid + "_" + instance;
    }

    /** The pid in a run name; empty when {@code name} is not one of ours. */
    public static OptionalLong pidOf(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The comment tag on iptables rules of the run. */
    public static String tag(String runName) {
        return "rsock:" + runName.substring("rsock_".length());
    }
}
