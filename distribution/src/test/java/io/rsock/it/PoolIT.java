package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.TestNetwork;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool across transports and servers: {@code --type all} moves traffic off a path the ISP
 * starts dropping within a heartbeat and back when it heals; a client of two servers rides out
 * the loss of one; an idle client goes quiet and wakes without losing the first datagram.
 */
class PoolIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void allModeLeavesADroppedTransportWithinAHeartbeatAndTakesItBackWhenItHeals() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "all-udp-blocked")) {
            lab.server("all");
            try (RsockLab.Client client = lab.client("all").awaitServer().warmUp(lab)) {
                // 12 s of one app flow at 1 000/s; UDP is dropped from 4 s to 8 s.
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(12_000, 1200, 1000, 1));
                Thread.sleep(4000);
                lab.net.setProfile(IspProfile.UDP_BLOCKED);
                Thread.sleep(4000);
                long udpSentWhileBlocked = RsockLab.framesSent(client, "udp");
                lab.net.setProfile(IspProfile.OPEN);
                ProbeResult r = flow.get();
                long udpSentAfter = RsockLab.framesSent(client, "udp");
                System.out.printf("all mode, UDP dropped by the isp from 4 s to 8 s of 12 s: %s, longest silence %d ms; "
                        + "frames on udp conns after the heal: %d%n", r, Math.round(r.maxGapMillis()), udpSentAfter - udpSentWhileBlocked);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 10, () -> "loss not bounded: " + r);
                assertTrue(r.maxGapMillis() < 1000, () -> "the app saw a stall: " + r);
                assertTrue(udpSentAfter - udpSentWhileBlocked > 100, "udp conns did not carry traffic again after the heal");
            }
        }
    }

    @Test
    void aClientOfTwoServersRidesOutTheLossOfOne() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "two-servers")) {
            LabProcess first = lab.server("tcp");
            lab.server2("tcp");
            try (RsockLab.Client client = lab.client("tcp", "-t", TestNetwork.SERVER_ADDRESS + "," + TestNetwork.SERVER2_ADDRESS)
                    .awaitServer().warmUp(lab)) {
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 1000, 1));
                Thread.sleep(3000);
                first.kill();
                ProbeResult r = flow.get();
                System.out.printf("two servers, the first killed at 3 s of 10 s: %s, longest silence %d ms%n", r,
                        Math.round(r.maxGapMillis()));
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 5, () -> "failover lost too much: " + r);
                assertTrue(r.maxGapMillis() < 1500, () -> "the app saw an outage: " + r);
            }
        }
    }

    @Test
    void anIdleClientGoesQuietAndItsFirstDatagramAfterIsDelivered() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "idle")) {
            lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp", "--idle", "2")) {
                // On a loaded machine the two starts can take longer than --idle: the client then parks
                // before the server ever answered, and the app's datagrams are what wake it.
                long deadline = System.currentTimeMillis() + RsockLab.START_MS;
                while (lab.probeTunnel(10, 1200, 100, 1).received() == 0) {
                    assertTrue(System.currentTimeMillis() < deadline, () -> "the tunnel never answered:\n" + client.process().output()
                            + "\n" + lab.serverLogs());
                }
                Thread.sleep(4000);
                Map<String, Object> parked = RsockLab.status(client);
                assertEquals(Boolean.TRUE, parked.get("idle_parked"), parked::toString);
                assertEquals(0, ((Number) parked.get("open_conns")).intValue(), parked::toString);
                ProbeResult r = lab.probeTunnel(50, 1200, 50, 1);
                System.out.println("idle client woken by the app: " + r);
                if (r.received() != 50) { // what each end counted says where the datagram went
                    throw new AssertionError("datagrams lost on wake-up: " + r + "\nclient: " + RsockLab.status(client)
                            + "\nserver: " + lab.serverStatus() + "\nclient log:\n" + client.process().output());
                }
            }
        }
    }

    @Test
    void randomPortsMoveUnderTrafficWithoutDroppingTheFlow() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "random-ports")) {
            String[] random = {"-p", "10001-10020", "--random-ports", "2", "--port-rotation", "8"};
            LabProcess server = lab.server("tcp", random);
            try (RsockLab.Client client = lab.client("tcp", random).awaitServer()) {
                java.util.Set<Object> seen = new java.util.LinkedHashSet<>();
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 500, 1));
                while (!flow.isDone()) {
                    seen.add(lab.serverStatus().get("listening"));
                    Thread.sleep(500);
                }
                ProbeResult r = flow.get();
                System.out.printf("random ports (2 of 10001-10020, rotating every 8 s), 20 s at 500/s: %s, longest silence %d ms; "
                        + "server listening sets seen: %s%n", r, Math.round(r.maxGapMillis()), seen);
                assertTrue(seen.size() >= 3, () -> "the ports did not rotate: " + seen + "\n" + server.output());
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 5, () -> "rotation lost traffic: " + r + "\n" + client.process().output());
                assertTrue(r.maxGapMillis() < 1000, () -> "the app saw a stall: " + r);
            }
        }
    }
}
