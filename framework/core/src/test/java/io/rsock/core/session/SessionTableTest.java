package io.rsock.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rsock.core.stats.Counters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    static final class S extends Session {
        final String name;
        Session.EndReason released;

        S(String name, long now) {
            super(now);
            this.name = name;
        }

        @Override
        protected void release(EndReason why) {
            released = why;
        }
    }

    private final Counters counters = new Counters();
    private final List<String> ended = new ArrayList<>();

    private SessionTable<String, S> table(int capacity, long idle) {
        return new SessionTable<>(capacity, idle, counters.get("evicted"), counters.get("expired"),
                (s, why) -> ended.add(s.name + ":" + why));
    }

    @Test
    void createsOnceAndFindsAgain() {
        SessionTable<String, S> t = table(10, 100);
        S a = t.getOrCreate("a", 0, k -> new S(k, 0));
        assertSame(a, t.getOrCreate("a", 1, k -> new S("other", 1)));
        assertSame(a, t.get("a"));
        assertEquals(1, t.size());
    }

    @Test
    void idleSessionsExpireActiveOnesStay() {
        SessionTable<String, S> t = table(10, 100);
        S a = t.getOrCreate("a", 0, k -> new S(k, 0));
        S b = t.getOrCreate("b", 0, k -> new S(k, 0));
        b.touch(80);
        assertEquals(1, t.expire(100));
        assertNull(t.get("a"));
        assertSame(b, t.get("b"));
        assertEquals(Session.EndReason.IDLE, a.released);
        assertEquals(List.of("a:IDLE"), ended);
        assertEquals(1, counters.get("expired").get());
        assertEquals(1, t.expire(180));
        assertEquals(0, t.size());
    }

    @Test
    void fullTableEvictsTheLeastRecentlyActiveAndCountsIt() {
        SessionTable<String, S> t = table(3, 1_000);
        for (int i = 0; i < 3; i++) {
            int at = i;
            t.getOrCreate("s" + i, at, k -> new S(k, at));
        }
        t.get("s0").touch(50); // s1 is now the least recently active
        assertNotNull(t.getOrCreate("new", 60, k -> new S(k, 60)));
        assertEquals(3, t.size());
        assertNull(t.get("s1"));
        assertEquals(1, counters.get("evicted").get());
        assertEquals(List.of("s1:EVICTED"), ended);
    }

    @Test
    void aFloodNeverGrowsPastCapacity() {
        SessionTable<String, S> t = table(100, Long.MAX_VALUE);
        for (int i = 0; i < 100_000; i++) {
            int at = i;
            t.getOrCreate("flow" + i, at, k -> new S(k, at));
        }
        assertEquals(100, t.size());
        assertEquals(99_900, counters.get("evicted").get());
    }

    @Test
    void factoryMayRefuse() {
        SessionTable<String, S> t = table(3, 100);
        assertNull(t.getOrCreate("x", 0, k -> null));
        assertEquals(0, t.size());
    }

    @Test
    void clearEndsEverySessionForShutdown() {
        SessionTable<String, S> t = table(3, 100);
        S a = t.getOrCreate("a", 0, k -> new S(k, 0));
        t.clear();
        assertEquals(Session.EndReason.SHUTDOWN, a.released);
        assertEquals(0, t.size());
    }

    @Test
    void newSessionsBeyondTheRateAreRefusedAndCountedUntilTheBucketRefills() {
        SessionTable<String, S> t = new SessionTable<>(1000, 1_000_000_000_000L, 10, counters.get("evicted"),
                counters.get("expired"), counters.get("rate_limited"), (s, why) -> ended.add(s.name + ":" + why));
        for (int i = 0; i < 10; i++) {
            assertNotNull(t.getOrCreate("f" + i, 0, k -> new S(k, 0)), "within the burst: " + i);
        }
        assertNull(t.getOrCreate("f10", 1, k -> new S(k, 1)));
        assertEquals(1, counters.get("rate_limited").get());
        assertNotNull(t.getOrCreate("f0", 2, k -> new S(k, 2)), "an existing flow is never limited");
        assertNotNull(t.getOrCreate("f11", 100_000_000L, k -> new S(k, 0)), "100 ms later: one more token");
        assertNull(t.getOrCreate("f12", 100_000_001L, k -> new S(k, 0)));
        assertEquals(2, counters.get("rate_limited").get());
    }

    @Test
    void evictOldestTakesOnlyTheSelectedSessionsLeastRecentlyActiveFirst() {
        SessionTable<String, S> t = table(1000, 1_000_000_000_000L);
        for (int i = 0; i < 10; i++) {
            final int at = i;
            t.getOrCreate("a" + i, at, k -> new S(k, at));
            t.getOrCreate("b" + i, at, k -> new S(k, at));
        }
        t.evictOldest(s -> s.name.startsWith("b"), 10);
        assertEquals(19, t.size());
        assertNull(t.get("b0"), "the oldest b went");
        assertNotNull(t.get("a0"), "an a, older still, was not selected");
        assertEquals(List.of("b0:EVICTED"), ended);
    }
}
