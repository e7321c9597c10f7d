package io.rsock.core.host;

import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.FrameCounter;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.session.Session;
import io.rsock.core.session.SessionTable;
import io.rsock.core.stats.Counters;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** The parts both tunnel ends build the same way from their settings. */
final class EndParts {
    private EndParts() {
    }

    /**
     * Makes the end's frame senders (one per thread that sends): all of them draw from one frame
     * counter, so no two frames of a run share a counter value.
     */
    static Supplier<FrameSender> senders(FrameKey key, Counters counters) {
        AtomicLong frameCounter = FrameCounter.randomStart();
        return () -> new FrameSender(key, frameCounter, counters.get("data.too_large"), counters.get("tunnel.send_failed"));
    }

    /** The session table, bounded by {@code --max-sessions} and {@code --max-new-sessions}, idle after {@code --duration}. */
    static <K, S extends Session> SessionTable<K, S> sessions(TunnelSettings settings, Counters counters,
            BiConsumer<S, Session.EndReason> onEnd) {
        return new SessionTable<>(settings.maxSessions(), settings.idleTimeout().toNanos(),
                settings.limits().maxNewSessions(), counters.get("session.evicted"), counters.get("session.expired"),
                counters.get("session.rate_limited"), onEnd);
    }

    /** {@code --random-ports}: the schedule; null when every port of {@code -p} is used. */
    static PortSchedule portSchedule(TunnelSettings settings) {
        return settings.randomPorts() == 0 ? null : new PortSchedule(settings.secret(), settings.ports().ports(),
                settings.randomPorts(), settings.portRotation().toMillis(), System::currentTimeMillis);
    }
}
