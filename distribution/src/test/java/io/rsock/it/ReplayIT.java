package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An attacker in the isp namespace records a client's udp-transport datagrams and sends them again
 * from its own socket once the client is gone: after the server let go of the client, after a server
 * restart, into a second server with the same secret; and reflects a live client's frames back to it
 * (and the server's to the server). What reached {@code -t} is counted by the echo there (the recorded
 * flow's datagrams are marked, {@link ReplayTool}), what came back by the attacker's socket; a live flow
 * of another client runs beside each and must lose nothing.
 */
class ReplayIT {
    static final int MARKED_PORT = 9997;
    static final int MARKED = 50;
    static final int LIVE_PORT = 30001;

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void framesReplayedAfterTheServerLetGoOfTheClientReachNothingAndGetNothingBack() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "replay-forgotten")) {
            LabProcess target = tool(lab, Side.SERVER, "marked-echo", "echo", "--port", "" + MARKED_PORT);
            lab.serverTo(MARKED_PORT, "udp", "--duration", "3");
            Path recorded = recordAClientThenStopIt(lab);
            assertEquals(MARKED, ReplayTool.markedIn(target.output()), "the recorded flow reached -t");
            try (RsockLab.Client live = liveClient(lab)) {
                awaitClients(lab, 1); // the recorded client's sessions expired and the server let go of it
                CompletableFuture<ProbeResult> flow = liveFlow(lab);
                Map<String, Long> back = replay(lab, recorded, TestNetwork.SERVER_ADDRESS);
                ProbeResult r = flow.get();
                Map<?, ?> counters = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("replay after the server let go of the client: %s; marked datagrams at -t: %d (before: %d); "
                        + "live flow: %s; server: hello.replayed %s, hello.stale %s, frame.unknown_client %s%n", back,
                        ReplayTool.markedIn(target.output()), MARKED, r, counters.get("hello.replayed"), counters.get("hello.stale"),
                        counters.get("frame.unknown_client"));
                assertEquals(MARKED, ReplayTool.markedIn(target.output()), "replayed datagrams reached -t");
                assertEquals(0, back.get("replies"), "the attacker got answers: " + back);
                assertLostNothing(r);
            }
        }
    }

    @Test
    void framesReplayedAfterARestartOrIntoASecondServerReachNothing() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "replay-restart")) {
            LabProcess target = tool(lab, Side.SERVER, "marked-echo", "echo", "--port", "" + MARKED_PORT);
            LabProcess target2 = tool(lab, Side.SERVER2, "marked-echo2", "echo", "--port", "" + MARKED_PORT);
            LabProcess first = lab.serverTo(MARKED_PORT, "udp");
            lab.server2("udp", "-t", "127.0.0.1:" + MARKED_PORT);
            Path recorded = recordAClientThenStopIt(lab);
            long recordedAt = System.nanoTime();
            assertEquals(MARKED, ReplayTool.markedIn(target.output()));
            first.kill();
            lab.serverTo(MARKED_PORT, "udp");
            try (RsockLab.Client live = liveClient(lab)) {
                // Within 30 s of the recording, the restarted server has not seen its HELLOs: each gets a HELLO_ACK,
                // 8 bytes smaller, carrying nothing of the app's; no frame keyed to the old run reaches -t.
                Map<String, Long> early = replay(lab, recorded, TestNetwork.SERVER_ADDRESS);
                System.out.println("replay into the restarted server within 30 s: " + early);
                assertEquals(MARKED, ReplayTool.markedIn(target.output()), "replayed datagrams reached -t after the restart");
                assertEquals(early.get("hello_acks"), early.get("replies"), "answers other than HELLO_ACKs: " + early);
                assertTrue(early.get("hello_ack_bytes") <= early.get("hello_bytes"), early::toString);

                long wait = 31_000 - (System.nanoTime() - recordedAt) / 1_000_000;
                Thread.sleep(Math.max(0, wait)); // every recorded HELLO is stale now
                CompletableFuture<ProbeResult> flow = liveFlow(lab);
                Map<String, Long> restarted = replay(lab, recorded, TestNetwork.SERVER_ADDRESS);
                Map<String, Long> second = replay(lab, recorded, TestNetwork.SERVER2_ADDRESS);
                ProbeResult r = flow.get();
                System.out.printf("replay after 31 s: into the restarted server %s, into a second server %s; marked at -t: %d "
                        + "and %d; live flow: %s%n", restarted, second, ReplayTool.markedIn(target.output()),
                        ReplayTool.markedIn(target2.output()), r);
                assertEquals(MARKED, ReplayTool.markedIn(target.output()), "replayed datagrams reached the restarted server's -t");
                assertEquals(0, ReplayTool.markedIn(target2.output()), "replayed datagrams reached the second server's -t");
                assertEquals(0, restarted.get("replies"), "the restarted server answered: " + restarted);
                assertEquals(0, second.get("replies"), "the second server answered: " + second);
                assertLostNothing(r);
            }
        }
    }

    @Test
    void framesReflectedBackToTheirSenderAreCountedAndTheFlowLosesNothing() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "reflect")) {
            lab.server("udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer().warmUp(lab)) {
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(4000, 1200, 500, 1));
                Thread.sleep(1500);
                Path both = lab.work.resolve("both-ways.pcap");
                LabProcess dump = capture(lab, both, "udp and host " + TestNetwork.CLIENT_ADDRESS + " and host "
                        + TestNetwork.SERVER_ADDRESS);
                Thread.sleep(2000);
                dump.stop(5000);
                Map<String, Long> sent = json(lab.net.run(Side.ISP, command("reflect", "--pcap", both.toString())));
                ProbeResult r = flow.get();
                Map<?, ?> cc = (Map<?, ?>) RsockLab.status(client).get("counters");
                Map<?, ?> sc = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("reflected %s; client frame.reflected %s, frame.replayed %s; server frame.reflected %s; flow: %s%n",
                        sent, cc.get("frame.reflected"), cc.get("frame.replayed"), sc.get("frame.reflected"), r);
                assertTrue(sent.get("to_client") > 100 && sent.get("to_server") > 100, sent::toString);
                assertEquals(sent.get("to_client"), n(cc, "frame.reflected"), "reflected frames the client did not count");
                assertEquals(sent.get("to_server"), n(sc, "frame.reflected"), "reflected frames the server did not count");
                assertLostNothing(r);
            }
        }
    }

    /**
     * The price of forgetting: the path drops everything until the server has let go of the client
     * (its conns idle out, its sessions expire); when the path heals, the client's frames find no keys
     * at the server, and the client must notice and say HELLO again at once.
     */
    @Test
    void aClientTheServerLetGoOfWhileThePathWasDownIsBackWithinASecond() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "forgotten-comeback")) {
            lab.server("udp", "--duration", "3", "--opt", "udp.idle=3s");
            try (RsockLab.Client client = lab.client("udp").awaitServer()) {
                lab.probeTunnel(100, 200, 100, 1);
                lab.net.setProfile(IspProfile.UDP_BLOCKED);
                awaitClients(lab, 0);
                lab.net.setProfile(IspProfile.OPEN);
                ProbeResult r = lab.probeTunnel(3000, 1200, 500, 1); // 6 s from the moment the path heals
                Map<?, ?> sc = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("forgotten while the path was down, then healed: %s, longest silence %d ms; server "
                        + "frame.unknown_client %s, hello.accepted %s%n", r, Math.round(r.maxGapMillis()), sc.get("frame.unknown_client"),
                        sc.get("hello.accepted"));
                assertTrue(r.received() >= r.sent() - 500, () -> "the client took more than a second to be known again: " + r);
                assertEquals(0, r.corrupt() + r.misrouted(), r::toString);
            }
        }
    }

    /**
     * Captures, on the isp's client side, the datagrams a new client sends to the server's ports while
     * {@value #MARKED} marked datagrams go through it and their echoes come back; then stops the client.
     */
    private static Path recordAClientThenStopIt(RsockLab lab) throws Exception {
        Path pcap = lab.work.resolve("recorded.pcap");
        LabProcess dump = capture(lab, pcap, "udp and src host " + TestNetwork.CLIENT_ADDRESS + " and dst portrange 10001-10004");
        try (RsockLab.Client victim = lab.client("udp").awaitServer()) {
            Map<String, Long> m = json(lab.net.run(Side.CLIENT, command("mark", "--target", "127.0.0.1:" + RsockLab.APP_PORT,
                    "--count", "" + MARKED)));
            assertEquals(MARKED, m.get("echoed"), m::toString);
            Thread.sleep(1000); // heartbeats too
        } // SIGTERM: the client says CLOSE on each conn and exits
        Thread.sleep(500);
        dump.stop(5000);
        return pcap;
    }

    private static RsockLab.Client liveClient(RsockLab lab) throws InterruptedException {
        return lab.client("udp", "-l", "127.0.0.1:" + LIVE_PORT).awaitServer();
    }

    /** 6 s of a live flow through the other client, at 500 datagrams a second. */
    private static CompletableFuture<ProbeResult> liveFlow(RsockLab lab) throws InterruptedException {
        CompletableFuture<ProbeResult> f = CompletableFuture.supplyAsync(() -> lab.probe("127.0.0.1:" + LIVE_PORT, 3000, 1200, 500, 1));
        Thread.sleep(1000);
        return f;
    }

    private static void assertLostNothing(ProbeResult r) {
        assertEquals(r.sent(), r.received(), () -> "the live flow lost datagrams: " + r);
        assertEquals(0, r.corrupt() + r.misrouted() + r.duplicates(), r::toString);
    }

    /** The recording sent again from a fresh socket in the isp namespace to {@code server}; what came back. */
    private static Map<String, Long> replay(RsockLab lab, Path recorded, String server) {
        return json(lab.net.run(Side.ISP, command("replay", "--pcap", recorded.toString(), "--to", server, "--listen-ms", "3000")));
    }

    private static void awaitClients(RsockLab lab, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 40_000;
        int now;
        while ((now = ((List<?>) lab.serverStatus().get("clients")).size()) != count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the server holds " + now + " clients, not " + count + ": " + lab.serverStatus());
            }
            Thread.sleep(500);
        }
    }

    private static LabProcess capture(RsockLab lab, Path pcap, String filter) throws InterruptedException {
        LabProcess p = lab.net.start(Side.ISP, "tcpdump-" + pcap.getFileName(), List.of("tcpdump", "-i", "i0", "-n", "-U", "-s", "0",
                "-w", pcap.toString(), filter));
        Thread.sleep(1500); // listening
        return p;
    }

    private static LabProcess tool(RsockLab lab, Side side, String name, String... args) {
        return lab.net.start(side, name, List.of(command(args)));
    }

    private static String[] command(String... args) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(ReplayTool.class.getName()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    /** The numbers of the tool's JSON line. */
    private static Map<String, Long> json(String output) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        String line = output.lines().filter(l -> l.startsWith("{\"mode\"")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no result in: " + output));
        Matcher mm = Pattern.compile("\"(\\w+)\":(-?\\d+)").matcher(line);
        while (mm.find()) {
            m.put(mm.group(1), Long.parseLong(mm.group(2)));
        }
        return m;
    }

    private static long n(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
