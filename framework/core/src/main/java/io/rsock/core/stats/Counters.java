package io.rsock.core.stats;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every named counter of a run: the host's (frames, drops by reason, sessions) and the transports'.
 * Names are dotted, lower case, e.g. {@code frame.bad_mac}; status and metrics read them all, and
 * group them by how they were declared ({@link #declare}): the host declares its drop counters at
 * construction, each transport its own counters in {@code start}.
 */
public final class Counters {
    /** How a counter was declared: what kind of thing it counts, and a sentence saying what. */
    public record Declaration(CounterKind kind, String help) {
    }

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Declaration> declarations = new ConcurrentHashMap<>();

    public Counters() {
        DropReasons.declareHost(this);
    }

    /** The counter named {@code name}, created at zero on first use. */
    public Counter get(String name) {
        return counters.computeIfAbsent(name, n -> new AdderCounter());
    }

    /** The counter named {@code name}, declared as counting {@code kind}, in the words of {@code help}. */
    public Counter declare(String name, CounterKind kind, String help) {
        declarations.put(name, new Declaration(kind, help));
        return get(name);
    }

    /** Every declaration, sorted by name. */
    public Map<String, Declaration> declarations() {
        return new TreeMap<>(declarations);
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
