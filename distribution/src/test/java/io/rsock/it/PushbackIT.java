package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool against an ISP that pushes back, {@code --type all} and {@code --type tcp} side by side in
 * one lab: a byte-rate UDP policer, a policer of large UDP packets, a middlebox that forges RSTs, a
 * UDP blackout that heals. {@code all} must never be worse than its best transport, a forged RST
 * must cost only what was in flight on its conn, and UDP must carry traffic again soon after it
 * heals.
 */
class PushbackIT {
    /**
     * The measurement: 1 200-byte datagrams at 2 000/s (19 Mbit/s) against a 2 Mbit/s
     * policer, here over 10 s, long enough that the pool's occasional probe of the policer's rate
     * weighs what it does over time.
     */
    private static final int RATE = 2000;
    private static final int SIZE = 1200;

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void underTheByteRatePolicerAllDeliversWhatTcpDelivers() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.THROTTLE, "pushback-throttle")) {
            assertAllAtLeastTcp(sideBySide(lab, 20_000, (type, client) -> {
            }));
        }
    }

    @Test
    void underALargeUdpDropAllDeliversWhatTcpDeliversAndKeepsUdpForSmallFrames() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.UDP_LARGE_DROPPED, "pushback-large-dropped")) {
            Map<String, Long> smallOnUdp = new LinkedHashMap<>();
            Map<String, ProbeResult> r = sideBySide(lab, 20_000, (type, client) -> {
            }, (type, client, sent) -> {
                if (type.equals("all")) {
                    long before = RsockLab.framesSent(client, "udp");
                    ProbeResult small = lab.probeTunnel(4000, 200, RATE, 1);
                    long onUdp = RsockLab.framesSent(client, "udp") - before;
                    smallOnUdp.put("frames", onUdp);
                    System.out.printf("udp_large_dropped, all, then 4 000 x 200 B at %d/s: %s; %d frames went on udp conns%n",
                            RATE, small, onUdp);
                    assertTrue(small.lossPercent() < 1, small::toString);
                }
            });
            assertAllAtLeastTcp(r);
            assertTrue(smallOnUdp.get("frames") > 400, () -> "small datagrams no longer use the udp conns: " + smallOnUdp);
        }
    }

    @Test
    void aForgedRstCostsOnlyTheDatagramsInFlightOnItsConn() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.RST_FORGED, "pushback-rst")) {
            Map<String, Long> resets = new LinkedHashMap<>();
            Map<String, ProbeResult> r = sideBySide(lab, 20_000, (type, client) -> resets.put(type, lab.net.ispCounter("tcp_reset")),
                    (type, client, sent) -> resets.put(type, lab.net.ispCounter("tcp_reset") - resets.get(type)));
            for (String type : r.keySet()) {
                ProbeResult p = r.get(type);
                long forged = resets.get(type);
                long lost = p.sent() - p.received();
                System.out.printf("rst_forged, %s: %d RSTs forged during the run, %d datagrams lost (%.2f per RST), %.3f %% loss%n",
                        type, forged, lost, forged == 0 ? 0.0 : (double) lost / forged, p.lossPercent());
                assertEquals(0, p.corrupt(), p::toString);
                assertTrue(p.lossPercent() <= 0.3, () -> type + ": loss over 0.3 % with forged RSTs: " + p);
                if (type.equals("tcp")) {
                    // At most what was in flight on the conn per RST (3 at 2 000/s), and 0.05 % of the
                    // run for what a loaded machine loses anyway.
                    long bound = 3 * forged + p.sent() / 2000;
                    assertTrue(lost <= bound, () -> lost + " lost to " + forged + " forged RSTs: " + p);
                }
            }
        }
    }

    @Test
    void inTheOpenAllKeepsUsingUdpAndIsLossFreeWhereTcpIs() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "pushback-open")) {
            Map<String, Double> udpShare = new LinkedHashMap<>();
            Map<String, ProbeResult> r = sideBySide(lab, 20_000, (type, client) -> {
            }, (type, client, sent) -> {
                if (type.equals("all")) {
                    udpShare.put(type, (double) RsockLab.framesSent(client, "udp") / Math.max(1, sent));
                }
            });
            ProbeResult tcp = r.get("tcp");
            ProbeResult all = r.get("all");
            System.out.printf("open: udp conns carried %.0f %% of all's frames%n", 100 * udpShare.get("all"));
            assertTrue(tcp.lossPercent() < 1, () -> "tcp is not loss-free at this rate on this machine: " + tcp);
            assertTrue(all.lossPercent() < 1, () -> "all lost where tcp did not: " + r);
            assertTrue(udpShare.get("all") > 0.2, () -> "all stopped using udp in the open: " + udpShare);
        }
    }

    @Test
    void udpCarriesTrafficAgainSecondsAfterABlackoutHeals() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "pushback-heal")) {
            lab.server("all");
            try (RsockLab.Client client = lab.client("all").awaitServer().warmUp(lab)) {
                // 14 s at 1 000/s; UDP dark from 2 s to 6 s (the profile heals by itself): the part of
                // the frames on udp conns from 2 s to 5 s after the heal.
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(14_000, SIZE, 1000, 1));
                Thread.sleep(2000);
                lab.net.setProfile(IspProfile.UDP_BLACKOUT);
                long[] dark = udpAndAll(client);
                Thread.sleep(IspProfile.BLACKOUT_SECONDS * 1000L + 2000);
                long[] settling = udpAndAll(client);
                Thread.sleep(3000);
                long[] after = udpAndAll(client);
                ProbeResult r = flow.get();
                double udpDark = share(dark, settling);
                double udpAfterHeal = share(settling, after);
                System.out.printf("udp_blackout of %d s in a 14 s flow at 1 000/s, all: %s, longest silence %d ms; udp conns "
                        + "carried %.1f %% of the frames from the blackout to 2 s after it, %.1f %% from 2 s to 5 s after%n",
                        IspProfile.BLACKOUT_SECONDS, r, Math.round(r.maxGapMillis()), 100 * udpDark, 100 * udpAfterHeal);
                assertTrue(r.lossPercent() < 5, r::toString);
                assertTrue(udpAfterHeal > 0.1, () -> String.format("udp conns did not take traffic back within seconds of the "
                        + "heal: %.3f of the frames", udpAfterHeal));
            }
        }
    }

    @Test
    void udpCarriesTrafficAgainSecondsAfterAThrottleLifts() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "pushback-lift")) {
            lab.server("all");
            try (RsockLab.Client client = lab.client("all").awaitServer().warmUp(lab)) {
                // 18 s at 1 000/s through the byte-rate policer, lifted at 6 s: the part of the frames
                // on udp conns from 3 s to 6 s against the part from 2 s to 8 s after the lift. A policer
                // that kept cutting the udp conns has their growth held for up to 8 s (probing it
                // seldom is what keeps all at tcp's delivery under it), so the first probe after the
                // lift may come that late: the window after the lift is wide. The bar is that udp carries
                // traffic again (well above its trickle under the policer); its full share, about half,
                // comes back only 8 to 15 s after the lift (docs/performance.md).
                lab.net.setProfile(IspProfile.THROTTLE);
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(18_000, SIZE, 1000, 1));
                Thread.sleep(3000);
                long[] throttled = udpAndAll(client);
                Thread.sleep(3000);
                lab.net.setProfile(IspProfile.OPEN);
                long[] lifted = udpAndAll(client);
                Thread.sleep(2000);
                long[] settling = udpAndAll(client);
                Thread.sleep(6000);
                long[] after = udpAndAll(client);
                ProbeResult t = flow.get();
                double udpUnderThrottle = share(throttled, lifted);
                double udpAfterLift = share(settling, after);
                System.out.printf("throttle lifted at 6 s of an 18 s flow at 1 000/s, all: %s; udp conns carried %.1f %% of the "
                        + "frames from 3 s to 6 s, %.1f %% from 2 s to 8 s after the lift%n", t, 100 * udpUnderThrottle, 100 * udpAfterLift);
                assertTrue(t.deliveredPercent() > 95, t::toString);
                assertTrue(udpAfterLift > 0.04 && udpAfterLift > 2 * udpUnderThrottle,
                        () -> String.format("udp conns did not take traffic back within seconds of the lift: %.3f before, %.3f after",
                                udpUnderThrottle, udpAfterLift));
            }
        }
    }

    /** Frames the client sent so far on its udp conns and on all. */
    private static long[] udpAndAll(RsockLab.Client client) throws Exception {
        return new long[] {RsockLab.framesSent(client, "udp"), RsockLab.framesSent(client, null)};
    }

    /** The part of the frames sent between two samples that went on udp conns. */
    private static double share(long[] from, long[] to) {
        return (double) (to[0] - from[0]) / Math.max(1, to[1] - from[1]);
    }

    /** What a run does between the warm-up and the measurement. */
    @FunctionalInterface
    private interface Before {
        void run(String type, RsockLab.Client client) throws Exception;
    }

    /** What a run looks at after the measurement, with the frames the client sent during it. */
    @FunctionalInterface
    private interface After {
        void run(String type, RsockLab.Client client, long framesSent) throws Exception;
    }

    private static Map<String, ProbeResult> sideBySide(RsockLab lab, int count, Before before) throws Exception {
        return sideBySide(lab, count, before, (type, client, sent) -> {
        });
    }

    /**
     * {@code --type tcp}, then {@code --type all}, each a fresh pair warmed up (and two seconds at the
     * rate, uncounted), then {@code count}
     * datagrams of {@value #SIZE} B at {@value #RATE}/s through it: the same path, one after the
     * other, in one run.
     */
    private static Map<String, ProbeResult> sideBySide(RsockLab lab, int count, Before before, After after) throws Exception {
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        String profile = lab.net.profile().label();
        for (String type : new String[] {"tcp", "all"}) {
            LabProcess server = lab.server(type);
            try (RsockLab.Client client = lab.client(type).awaitServer().warmUp(lab)) {
                // Two seconds at the rate first, uncounted: the pool learns the path as it would any time.
                lab.probeTunnel(2 * RATE, SIZE, RATE, 1);
                before.run(type, client);
                long sentBefore = RsockLab.framesSent(client, null);
                ProbeResult r = lab.probeTunnel(count, SIZE, RATE, 1);
                long sent = RsockLab.framesSent(client, null) - sentBefore;
                System.out.printf("%s, %d x %d B at %d/s, rsock %s: %s%n", profile, count, SIZE, RATE, type, r);
                System.out.println("  client conns: " + RsockLab.status(client).get("conns"));
                after.run(type, client, sent);
                results.put(type, r);
            } finally {
                server.stop(5000);
            }
        }
        return results;
    }

    private static void assertAllAtLeastTcp(Map<String, ProbeResult> r) {
        ProbeResult tcp = r.get("tcp");
        ProbeResult all = r.get("all");
        assertEquals(0, all.corrupt(), all::toString);
        assertTrue(all.received() >= 0.99 * tcp.received(), () -> "all delivered less than 99 % of what tcp did: " + r);
    }
}
