package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.core.host.HelloGuard.Verdict;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A HELLO is let through while fresh (within 30 s of the server's clock) and once; the memory is bounded. */
class HelloGuardTest {
    private final AtomicLong wall = new AtomicLong(1_800_000_000_000L);
    private final AtomicLong mono = new AtomicLong(5);

    private HelloGuard guard(int capacity) {
        return new HelloGuard(capacity, wall::get, mono::get);
    }

    @Test
    void freshOnceThenReplayed() {
        HelloGuard g = guard(16);
        assertEquals(Verdict.FRESH, g.check(wall.get(), 1));
        assertEquals(Verdict.REPLAYED, g.check(wall.get(), 1));
        assertEquals(Verdict.FRESH, g.check(wall.get(), 2));
    }

    @Test
    void staleBeyondThirtySecondsEitherWay() {
        HelloGuard g = guard(16);
        long now = wall.get();
        assertEquals(Verdict.FRESH, g.check(now - 30_000, 1));
        assertEquals(Verdict.FRESH, g.check(now + 30_000, 2));
        assertEquals(Verdict.STALE, g.check(now - 30_001, 3));
        assertEquals(Verdict.STALE, g.check(now + 30_001, 4));
        assertEquals(2, g.remembered(), "a stale HELLO is not remembered");
    }

    @Test
    void aNonceIsRememberedUntilItsHelloIsStaleWhateverTheClocksDid() {
        HelloGuard g = guard(16);
        long sent = wall.get() + 30_000; // the client's clock 30 s ahead: fresh for a minute of ours
        assertEquals(Verdict.FRESH, g.check(sent, 7));
        wall.addAndGet(59_000);
        mono.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertEquals(Verdict.REPLAYED, g.check(sent, 7), "still fresh by time, so still remembered");
        wall.addAndGet(2_000);
        mono.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(Verdict.STALE, g.check(sent, 7));
        assertEquals(Verdict.FRESH, g.check(wall.get(), 8));
        assertEquals(1, g.remembered(), "the expired nonce was let go");
    }

    @Test
    void whenFullNewHellosAreRefusedUntilOldOnesExpire() {
        HelloGuard g = guard(3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.FRESH, g.check(wall.get(), 100 + i));
        }
        assertEquals(Verdict.FULL, g.check(wall.get(), 200));
        assertEquals(Verdict.REPLAYED, g.check(wall.get(), 101), "a replay is still told apart");
        mono.addAndGet(HelloGuard.MEMORY_NANOS);
        assertEquals(Verdict.FRESH, g.check(wall.get(), 200));
    }

    @Test
    void forgottenClientsKeepTheHighestCounterOfEachRunBounded() {
        ForgottenClients f = new ForgottenClients(2);
        f.remember(1, 10, 500);
        f.remember(1, 10, 400);
        assertEquals(500, f.highest(1, 10));
        assertEquals(-1, f.highest(1, 11), "another run of the same client id");
        f.remember(2, 10, 1);
        f.remember(3, 10, 1);
        assertEquals(2, f.size());
        assertEquals(-1, f.highest(1, 10), "the oldest went first");
    }
}
