package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The weighting on delivery reports as the heartbeats bring them, every 250 ms: what a byte-rate
 * policer, a policer of large packets, a blackout and its end, and plain noise do to a conn's share.
 * The intervals are the ones the lab records: 2 000 datagrams/s of 1 200 B spread over a dozen
 * conns is some 40 large frames per conn and interval, next to a heartbeat (small).
 */
class DeliveryWeightsTest {
    private static final long REPORT = 250_000_000L;

    /** Feeds reports whose intervals each add {@code sentSmall, gotSmall, sentLarge, gotLarge} frames. */
    private static final class Recording {
        final DeliveryWeights w = new DeliveryWeights();
        final int[] sent = new int[SizeClass.COUNT];
        final int[] got = new int[SizeClass.COUNT];
        long now = 1_000_000_000L;

        Recording() {
            report(); // the baseline
        }

        Recording interval(int sentSmall, int gotSmall, int sentLarge, int gotLarge) {
            sent[SizeClass.SMALL] += sentSmall;
            got[SizeClass.SMALL] += gotSmall;
            sent[SizeClass.LARGE] += sentLarge;
            got[SizeClass.LARGE] += gotLarge;
            now += REPORT;
            report();
            return this;
        }

        Recording repeat(int times, int sentSmall, int gotSmall, int sentLarge, int gotLarge) {
            for (int i = 0; i < times; i++) {
                interval(sentSmall, gotSmall, sentLarge, gotLarge);
            }
            return this;
        }

        private void report() {
            w.report(DeliveryReport.of(sent[0], sent[1], sent[2], 0), DeliveryReport.of(got[0], got[1], got[2], 0), now);
        }

        double large() {
            return w.share(SizeClass.LARGE);
        }

        double small() {
            return w.share(SizeClass.SMALL);
        }
    }

    @Test
    void aCleanPathKeepsItsFullShare() {
        Recording r = new Recording().repeat(40, 1, 1, 40, 40);
        assertEquals(1, r.large());
        assertEquals(1, r.small());
        assertEquals(1, r.w.delivered(), 1e-9);
        assertEquals(0, r.w.losses());
    }

    @Test
    void aByteRatePolicerTakesTheLargeShareAtOnceAndLeavesSmallFramesAlone() {
        // What the 2 Mbit/s policer did to a udp conn at 1/3 of the traffic: a third of the data through, every heartbeat.
        Recording r = new Recording().interval(1, 1, 160, 55);
        assertTrue(r.large() < 0.1, "after one report: " + r.large());
        r.repeat(3, 1, 1, 10, 4);
        assertTrue(r.large() < 0.01, "after four: " + r.large());
        assertEquals(1, r.small(), "heartbeats got through: small frames keep their share");
        assertTrue(r.w.delivered(SizeClass.LARGE) < 0.5, "delivered " + r.w.delivered(SizeClass.LARGE));
    }

    @Test
    void aPenalisedConnKeepsATrickleAndComesBackWithinSecondsOfTheHeal() {
        Recording r = new Recording().repeat(8, 1, 1, 40, 0); // dropped: every large frame lost
        assertEquals(DeliveryWeights.FLOOR, r.large(), 1e-12, "the floor, never zero");
        // The path heals; the trickle gets through, and the share grows back.
        int reports = 0;
        while (r.large() < 1 && reports < 200) {
            int frames = (int) Math.ceil(40 * r.large());
            r.interval(1, 1, frames, frames);
            reports++;
        }
        assertEquals(1, r.large());
        double seconds = reports * REPORT / 1e9;
        assertTrue(seconds <= DeliveryWeights.MAX_HOLD_NANOS / 1e9 + 10, "back to full share after " + seconds + " s");
    }

    @Test
    void aPolicerOfLargePacketsIsRetriedNoMoreThanOnceAHold() {
        // Every large frame is lost, whatever the share: count the intervals that still put large frames on it.
        Recording r = new Recording();
        int lossyIntervals = 0;
        for (int i = 0; i < 160; i++) { // 40 s
            int frames = (int) Math.floor(40 * r.large()); // a trickle is mostly no frame at all
            r.interval(1, 1, frames, 0);
            if (frames > 0) {
                lossyIntervals++;
            }
        }
        assertTrue(r.large() < 0.05, "" + r.large());
        assertTrue(lossyIntervals <= 1 + 40 / (DeliveryWeights.MAX_HOLD_NANOS / 1e9) * 3,
                "intervals that lost large frames over 40 s: " + lossyIntervals);
        assertEquals(1, r.small());
    }

    @Test
    void aFrameCountedOnTheWrongSideOfAMarkerIsNotALoss() {
        // One interval shows a frame more than was sent (counted sent just after the heartbeat's snapshot,
        // on the wire before it), the next one less: no loss.
        Recording r = new Recording().repeat(4, 1, 1, 40, 41).repeat(4, 1, 1, 40, 39);
        assertEquals(1, r.large());
        assertEquals(0, r.w.losses());
    }

    @Test
    void aMarkerThatOvertakesAFewFramesCostsNothingButFramesThatNeverComeAreLost() {
        // The heartbeat's answer overtakes three frames (sent from another CPU), interval after
        // interval: each comes in the next one.
        Recording r = new Recording().repeat(4, 1, 1, 40, 40).interval(1, 1, 40, 37).repeat(10, 1, 1, 40, 40)
                .interval(1, 1, 40, 43);
        assertEquals(1, r.large());
        assertEquals(0, r.w.losses());
        // Ten frames that never come: beyond the few that may be late, lost.
        r.interval(1, 1, 40, 30);
        assertEquals(1, r.w.losses());
        assertTrue(r.large() < 0.25);
    }

    @Test
    void connsThatShareAFateHoldTheirGrowthWhenOneOfThemLoses() {
        SharedFate fate = new SharedFate();
        Recording a = new Recording();
        Recording b = new Recording();
        a.w.shareFate(fate);
        b.w.shareFate(fate);
        // b was cut once long ago and is growing back; a, on the same policer, now loses.
        b.interval(1, 1, 40, 20);
        b.now += DeliveryWeights.CALM_NANOS;
        a.now = b.now;
        b.interval(1, 1, 4, 4).interval(1, 1, 4, 4);
        double before = b.large();
        a.interval(1, 1, 40, 20);
        b.now = a.now;
        b.repeat(3, 1, 1, 4, 4);
        assertEquals(before, b.large(), 1e-12, "b grew into the policer a just hit");
        b.now += DeliveryWeights.MIN_HOLD_NANOS;
        b.repeat(2, 1, 1, 4, 4);
        assertTrue(b.large() > before, "b grows again once the hold is over");
    }

    @Test
    void oneLostFrameInAHundredIsNoise() {
        Recording r = new Recording().repeat(20, 1, 1, 200, 199);
        assertEquals(1, r.large());
    }

    @Test
    void anOlderReportIsIgnoredAndCountersWrap() {
        DeliveryWeights w = new DeliveryWeights();
        int base = -10; // 2^32 - 10: the counts wrap within the next reports
        w.report(DeliveryReport.of(0, 0, base, 0), DeliveryReport.of(0, 0, base, 0), 1);
        assertFalse(w.report(DeliveryReport.of(0, 0, base + 40, 0), DeliveryReport.of(0, 0, base + 40, 0), REPORT));
        assertEquals(1, w.share(SizeClass.LARGE), "40 sent, 40 received across the wrap");
        assertFalse(w.report(DeliveryReport.of(0, 0, base + 20, 0), DeliveryReport.of(0, 0, base, 0), 2 * REPORT),
                "an older report (reordered) says nothing");
        assertEquals(1, w.share(SizeClass.LARGE));
        assertTrue(w.report(DeliveryReport.of(0, 0, base + 80, 0), DeliveryReport.of(0, 0, base + 50, 0), 3 * REPORT));
        assertTrue(w.share(SizeClass.LARGE) < 0.25);
    }

    @Test
    void aThrottleThatLiftsGivesTheShareBack() {
        // A policer that passes about 12 large frames a report on this conn: the share settles near that.
        Recording r = new Recording();
        for (int i = 0; i < 120; i++) { // 30 s
            int offered = (int) Math.round(160 * r.large());
            r.interval(1, 1, offered, Math.min(offered, 12));
        }
        assertTrue(r.large() < 0.2, "under the policer: " + r.large());
        double before = r.large();
        int reports = 0;
        while (r.large() < 1 && reports < 80) {
            int offered = (int) Math.round(160 * r.large());
            r.interval(1, 1, offered, offered);
            reports++;
        }
        double seconds = reports * REPORT / 1e9;
        System.out.printf("throttle lifted: share %.3f back to %.3f after %.2f s%n", before, r.large(), seconds);
        assertEquals(1, r.large());
        assertTrue(seconds <= DeliveryWeights.MAX_HOLD_NANOS / 1e9 + 6, "took " + seconds + " s");
    }

    /**
     * A byte-rate policer far below the offered rate, its budget taken by sibling conns: 2 of 128
     * frames got through. That is a rate, not a blocked path: the share must not come back by
     * doubling to what it had. Taken for a blackout (the lab's throttle, one conn of each end), three
     * udp conns doubled back together and lost bursts of 50 to 180 frames to the policer.
     */
    @Test
    void aLossOfNearlyEverythingWithFramesThroughIsARate() {
        Recording r = new Recording().interval(1, 1, 128, 2);
        for (int i = 0; i < 16; i++) { // 4 s of clean reports, as many frames as the share offers
            int frames = (int) Math.round(128 * r.large());
            r.interval(1, 1, frames, frames);
        }
        assertTrue(r.large() < 0.2, "share " + r.large() + " 4 s after 2 of 128 got through");
        // A blackout (nothing through) still comes back fast, to half of what the conn had.
        Recording dark = new Recording().interval(1, 1, 128, 0);
        for (int i = 0; i < 16; i++) {
            int frames = (int) Math.round(128 * dark.large());
            dark.interval(1, 1, frames, frames);
        }
        assertTrue(dark.large() >= 0.5, "share " + dark.large() + " 4 s after a blackout");
    }
}
