package io.rsock.bench;

import io.rsock.core.session.Session;
import io.rsock.core.session.SessionTable;
import io.rsock.core.stats.Counters;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A flood of new flows into a full session table (the server's default 16 384): each operation is
 * one new session, which makes room by evicting the least recently active. Against
 * {@code SessionBench.serverLookup} of the same run, what a flooding flow costs beyond a lookup.
 */
@State(Scope.Thread)
public class SessionFloodBench extends HotPathBench {
    static final int CAPACITY = 16384;

    private SessionTable<Long, Session> table;
    private long next;
    private long now;
    private final Function<Long, Session> newSession = k -> new SessionBench.BenchSession();

    @Setup
    public void setUp() {
        Counters c = new Counters();
        table = new SessionTable<>(CAPACITY, TimeUnit.DAYS.toNanos(1), c.get("e"), c.get("x"), (s, w) -> { });
        for (int k = 0; k < CAPACITY; k++) {
            table.getOrCreate(next++, now++, newSession);
        }
    }

    @Benchmark
    public Session newFlowIntoAFullTable() {
        return table.getOrCreate(next++, now++, newSession);
    }
}
