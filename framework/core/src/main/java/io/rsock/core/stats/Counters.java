package io.rsock.core.stats;

import io.rsock.api.Counter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every named counter of a run: the host's (frames, drops by reason, sessions) and the transports'.
 * Names are dotted, lower case, e.g. {@code frame.bad_mac}; status and metrics read them all.
 */
public final class Counters {
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** The counter named {@code name}, created at zero on first use. */
    public Counter get(String name) {
        return counters.computeIfAbsent(name, n -> new AdderCounter());
    }

    /** Every counter's current value, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static final class AdderCounter implements Counter {
        private final LongAdder adder = new LongAdder();

        @Override
        public void add(long delta) {
            adder.add(delta);
        }

        @Override
        public long get() {
            return adder.sum();
        }
    }
}
