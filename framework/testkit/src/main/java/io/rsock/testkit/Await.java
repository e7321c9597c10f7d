package io.rsock.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition other threads make true: tests wait on outcomes, never sleep a guessed time. */
public final class Await {
    private Await() {
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds or {@code timeout} passes.
     *
     * @return whether it held
     */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Like {@link #until} but throws {@link AssertionError} saying {@code what} did not happen. */
    public static void assertUntil(BooleanSupplier condition, Duration timeout, String what) {
        if (!until(condition, timeout)) {
            throw new AssertionError(what + " did not happen within " + timeout);
        }
    }
}
