package io.rsock.core.host;

import io.rsock.api.TransportException;
import io.rsock.core.config.PortList;
import java.util.Set;
import org.slf4j.Logger;

/** {@code rsock reload} of {@code -p} as both ends answer it; each end says how it follows a change. */
final class PortReload {
    /** Moves an end to a change of its ports; returns the ports it could not take up. */
    interface Follower {
        Set<Integer> follow(PortChange change);
    }

    private PortReload() {
    }

    /**
     * Moves from the ports {@code have} to {@code ports} unless {@code --random-ports} chose them
     * ({@code schedule} not null); returns what changed, for the user, and logs it on {@code log}.
     *
     * @throws TransportException when a port could not be taken up (the rest of the change stands)
     */
    static String reload(PortSchedule schedule, Set<Integer> have, PortList ports, Follower follower, Logger log)
            throws TransportException {
        if (schedule != null) {
            return "ports unchanged: --random-ports derives them from -p as it was at start; restart to change -p";
        }
        PortChange change = PortChange.between(have, ports.asSet());
        if (change.isEmpty()) {
            return "ports unchanged";
        }
        Set<Integer> failed = follower.follow(change);
        String what = "ports " + ports + " " + change.describe();
        log.info("reload: {}", what);
        if (!failed.isEmpty()) {
            throw new TransportException("cannot listen on " + failed + "; " + what);
        }
        return what;
    }
}
