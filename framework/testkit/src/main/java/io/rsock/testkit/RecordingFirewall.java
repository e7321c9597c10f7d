package io.rsock.testkit;

import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Firewall} that remembers every rule a transport installs and whether it was removed, so a
 * test can assert that a transport leaves no rule behind after {@code close()}: the real host's rules
 * outlive a sloppy transport and keep the kernel deaf to a port long after the run.
 *
 * <p>By default it installs nothing anywhere; given a delegate, it records and passes every call on.
 * Thread-safe.
 */
public final class RecordingFirewall implements Firewall {
    private final Firewall delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** A firewall that only records. */
    public RecordingFirewall() {
        this(null);
    }

    /**
     * A firewall that records and passes every rule on to {@code delegate}.
     *
     * @param delegate the firewall that really installs rules, or {@code null} to only record
     */
    public RecordingFirewall(Firewall delegate) {
        this.delegate = delegate;
    }

    @Override
    public Registration dropInbound(PacketFilter filter) throws TransportException {
        Objects.requireNonNull(filter, "filter");
        Registration real = delegate == null ? null : delegate.dropInbound(filter);
        Rule rule = new Rule(filter, real);
        rules.add(rule);
        return rule;
    }

    /** Every rule ever installed, in installation order, removed or not. */
    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** The filters of the rules still installed. */
    public List<PacketFilter> installed() {
        List<PacketFilter> out = new ArrayList<>();
        for (Rule r : rules) {
            if (!r.isRemoved()) {
                out.add(r.filter());
            }
        }
        return out;
    }

    /** Throws {@link AssertionError} naming the rules still installed, if any. */
    public void assertAllRemoved() {
        List<PacketFilter> left = installed();
        if (!left.isEmpty()) {
            throw new AssertionError("firewall rules left installed: " + left);
        }
    }

    /**
     * Waits up to {@code timeout} for every rule to be removed (a transport may let go of a closed
     * conn's rule on another thread, after reporting the close), then asserts it as
     * {@link #assertAllRemoved()} does.
     */
    public void awaitAllRemoved(Duration timeout) {
        Await.until(() -> installed().isEmpty(), timeout);
        assertAllRemoved();
    }

    /** One installed rule; closing it removes it (idempotent, as {@link Registration} requires). */
    public static final class Rule implements Registration {
        private final PacketFilter filter;
        private final Registration real;
        private final AtomicBoolean removed = new AtomicBoolean();

        private Rule(PacketFilter filter, Registration real) {
            this.filter = filter;
            this.real = real;
        }

        /** What the rule drops. */
        public PacketFilter filter() {
            return filter;
        }

        /** Whether {@link #close()} was called. */
        public boolean isRemoved() {
            return removed.get();
        }

        @Override
        public void close() {
            if (removed.compareAndSet(false, true) && real != null) {
                real.close();
            }
        }

        @Override
        public String toString() {
            return (isRemoved() ? "removed " : "installed ") + filter;
        }
    }
}
