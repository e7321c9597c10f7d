package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void inOrderCountersAreAcceptedOnce() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 1; c < 10_000; c++) {
            assertTrue(w.accept(c));
            assertFalse(w.accept(c), "duplicate " + c);
        }
    }

    @Test
    void reorderedWithinTheWindowIsAcceptedDuplicatesAreNot() {
        ReplayWindow w = new ReplayWindow();
        List<Long> counters = new ArrayList<>();
        for (long c = 1_000_000; c < 1_003_000; c++) {
            counters.add(c);
        }
        Collections.shuffle(counters.subList(0, 1500), new Random(1));
        Collections.shuffle(counters.subList(1500, 3000), new Random(2));
        for (long c : counters) {
            assertTrue(w.accept(c), "reordered " + c);
        }
        for (long c : counters.subList(2000, 3000)) {
            assertFalse(w.accept(c), "replayed " + c);
        }
    }

    @Test
    void tooOldIsRejectedEvenIfNeverSeen() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(100_000));
        assertFalse(w.accept(100_000 - ReplayWindow.WINDOW - 1));
        assertTrue(w.accept(100_000 - ReplayWindow.WINDOW));
        assertFalse(w.accept(1));
        assertFalse(w.accept(-5));
    }

    @Test
    void bigJumpsClearTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(5));
        assertTrue(w.accept(5 + 64L * 64 * 10));
        assertTrue(w.accept(5 + 64L * 64 * 10 - 3));
        assertFalse(w.accept(5));
        // bits of the old span were cleared, so a counter that reuses a slot is judged afresh
        long top = 5 + 64L * 64 * 10;
        assertTrue(w.accept(top + 4096));
        assertTrue(w.accept(top + 4096 - 64));
    }

    @Test
    void counterStartsAtARandomPointWithRoomToGrow() {
        long first = FrameCounter.randomStart().get();
        long second = FrameCounter.randomStart().get();
        assertTrue(first != second && first > 0 && second > 0);
        assertTrue(Math.max(first, second) < 1L << 40);
    }

    @Test
    void aFloorRefusesEverythingUpToItAndNothingAbove() {
        for (long floor : new long[] {0, 63, 64, 100_000, 100_031, (1L << 40) + 5}) {
            ReplayWindow w = ReplayWindow.above(floor);
            assertFalse(w.accept(floor), "floor " + floor);
            assertFalse(w.accept(floor - 1));
            assertFalse(w.accept(floor - ReplayWindow.WINDOW + 1));
            assertFalse(w.accept(floor - 5 * ReplayWindow.WINDOW));
            for (long c = floor + 1; c < floor + 130; c++) {
                assertTrue(w.accept(c), "floor " + floor + " counter " + c);
            }
            assertTrue(w.accept(floor + 70_000));
            assertFalse(w.accept(floor), "still refused after the window moved");
        }
    }
}
