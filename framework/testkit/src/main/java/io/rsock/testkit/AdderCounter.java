package io.rsock.testkit;

import io.rsock.api.Counter;
import java.util.concurrent.atomic.LongAdder;

/** A {@link Counter} that many threads bump without contending, as the host's counters do. */
final class AdderCounter implements Counter {
    private final LongAdder sum = new LongAdder();

    @Override
    public void add(long delta) {
        sum.add(delta);
    }

    @Override
    public long get() {
        return sum.sum();
    }
}
