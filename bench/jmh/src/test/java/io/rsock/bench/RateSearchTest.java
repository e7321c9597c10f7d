package io.rsock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateSearchTest {
    @Test
    void doublesThenBisectsToTheHighestPassingRate() {
        List<Integer> tried = new ArrayList<>();
        int r = RateSearch.highest(rate -> {
            tried.add(rate);
            return rate <= 27_000;
        }, 5000, 400_000, 500, 4);
        assertEquals(List.of(5000, 10_000, 20_000, 40_000, 30_000, 25_000, 27_500, 26_250), tried);
        assertEquals(26_250, r);
    }

    @Test
    void halvesWhenTheFirstRateFails() {
        assertEquals(1250, RateSearch.highest(rate -> rate <= 1500, 5000, 400_000, 500, 0));
    }

    @Test
    void nothingPassesGivesZero() {
        assertEquals(0, RateSearch.highest(rate -> false, 5000, 400_000, 500, 4));
    }

    @Test
    void theMaximumPassingIsReturned() {
        assertEquals(320_000, RateSearch.highest(rate -> true, 5000, 400_000, 500, 4));
    }
}
