package io.rsock.testkit.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs test code (handlers, receivers, hooks) on an in-memory network's delivery thread and keeps
 * what it throws: a failing assertion there must neither kill the thread nor go unnoticed.
 */
final class FailureLog {
    private static final int MAX_RECORDED = 32;

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | AssertionError e) {
            if (failures.size() < MAX_RECORDED) {
                failures.add(e);
            }
        }
    }

    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    void assertNone(String where) {
        List<Throwable> f = new ArrayList<>(failures);
        if (!f.isEmpty()) {
            AssertionError e = new AssertionError(f.size() + " failure(s) in code called by " + where, f.get(0));
            f.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
