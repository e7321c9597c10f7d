package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rsock over IPv6 from the unpacked tarball, in the dual-stack lab: each transport carries the app
 * over the server's IPv6 address (fake TCP and ICMPv6 through strict's conntrack and NAT66 without
 * one invalid packet; UDP through open, strict dropping UDP of both families), the app itself on
 * IPv6 loopback ({@code -l [::1]:30000}, {@code -t [::1]:9999}); one server takes a client's IPv4
 * and IPv6 conns in one pool, also of every transport ({@code --type all}); a client of an IPv4 and
 * an IPv6 server rides out the loss of either; frames follow the path MTU a router reports when a
 * link on the way is smaller; and no rule of either family is left behind.
 */
class Ipv6IT {
    private static final String APP6 = "[::1]:" + RsockLab.APP_PORT;
    /** Datagrams per second: what the tunnel carries on a loaded 2-core machine (correctness here, not rate). */
    private static final int RATE = Math.min(RsockLab.RATE, 2000);
    /** A row of the demo's table: profile, path, delivered percentage. */
    private static final Pattern DEMO_ROW = Pattern.compile("^(open|throttle|strict)\\s+(direct UDP|rsock \\w+)\\s+([0-9.]+)%");

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @ParameterizedTest
    @CsvSource({"tcp, STRICT", "icmp, STRICT", "udp, OPEN"})
    void tenThousandDatagramsCrossTheIspOverIpv6(String type, IspProfile profile) throws Exception {
        try (RsockLab lab = RsockLab.open(profile, "ipv6-" + type + "-" + profile.label())) {
            LabProcess server = lab.server(type, "-t", "[::1]:" + RsockLab.ECHO_PORT);
            try (RsockLab.Client client = lab.client(type, "-t", TestNetwork.SERVER_ADDRESS6, "-l", APP6).awaitServer(30_000)) {
                lab.probe(APP6, 5000, 1200, RATE, 4); // warm-up
                ProbeResult r = lab.probe(APP6, 10_000, 1200, RATE, 1);
                System.out.println(profile.label() + " over IPv6, 10 000 x 1200 B, rsock " + type + ": " + r);
                assertEquals(0, r.corrupt(), r::toString);
                assertEquals(0, r.misrouted(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient log:\n" + client.process().output()
                        + "\nserver log:\n" + server.output());
                String conns = lab.serverStatus().get("clients").toString();
                System.out.println(profile.label() + " over IPv6, the server sees the client's conns as: " + conns);
                if (profile == IspProfile.STRICT) {
                    long invalid = lab.net.ispCounter("ct_invalid");
                    System.out.println("strict over IPv6, packets conntrack found invalid at the isp: " + invalid);
                    assertEquals(0, invalid, "packets conntrack found invalid");
                    assertTrue(conns.contains("-> [" + expand(TestNetwork.ISP_SERVER_SIDE6) + "]:"),
                            () -> "the client's packets did not arrive NATed (NAT66) to " + TestNetwork.ISP_SERVER_SIDE6 + ": " + conns);
                } else {
                    assertTrue(conns.contains("-> [" + expand(TestNetwork.CLIENT_ADDRESS6) + "]:"), conns);
                }
            }
            server.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server");
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client");
        }
    }

    @Test
    void plainPing6StillWorksWhileTheIcmpTunnelRunsOverIpv6() throws Exception {
        RsockLab.assumeCommand("ping");
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "ipv6-icmp-ping")) {
            lab.server("icmp");
            try (RsockLab.Client client = lab.client("icmp", "-t", TestNetwork.SERVER_ADDRESS6).awaitServer(30_000).warmUp(lab)) {
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(6000, 1200, 2000, 1));
                Thread.sleep(500);
                Shell.Result ping = lab.net.tryRun(Side.CLIENT, "ping", "-6", "-c", "5", "-i", "0.5", "-W", "2", "-n",
                        TestNetwork.SERVER_ADDRESS6);
                String rules = lab.rsockTables(Side.SERVER);
                ProbeResult r = flow.get(60, TimeUnit.SECONDS);
                System.out.println("strict, rsock icmp over IPv6 with a ping6 alongside: " + r + "; ping6: "
                        + ping.out().lines().filter(l -> l.contains("transmitted")).findFirst().orElse(ping.out()));
                System.out.println("strict, the server's rules during the run:\n" + rules);
                assertTrue(r.lossPercent() < 1, r::toString);
                assertTrue(ping.ok() && ping.out().contains(" 5 received"), () -> "ping6 not answered during the run:\n" + ping.out());
                assertTrue(rules.contains("icmpv6 type echo-request icmpv6 id"), () -> "no per-conn ICMPv6 rule on the server: " + rules);
                assertEquals(0, lab.net.ispCounter("ct_invalid"));
            }
        }
    }

    /** One dual-stack server, one client of both its addresses: IPv4 and IPv6 conns of every transport in one pool. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "all"})
    void oneServerTakesAClientsIpv4AndIpv6ConnsInOnePool(String type) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "ipv6-dual-" + type)) {
            lab.server(type);
            try (RsockLab.Client client = lab.client(type, "-t", TestNetwork.SERVER_ADDRESS + "," + TestNetwork.SERVER_ADDRESS6)
                    .awaitServer(30_000).warmUp(lab)) {
                ProbeResult r = lab.probeTunnel(10_000, 1200, RATE, 8);
                Map<String, Long> sentByFamilyAndType = framesSent(client);
                System.out.println("open, " + type + " to " + TestNetwork.SERVER_ADDRESS + " and " + TestNetwork.SERVER_ADDRESS6 + ": " + r
                        + "; frames sent per conn family and transport: " + sentByFamilyAndType);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, r::toString);
                List<String> kinds = type.equals("all") ? List.of("tcp", "udp", "icmp") : List.of("tcp");
                for (String kind : kinds) {
                    for (String family : List.of("IPv4", "IPv6")) {
                        assertTrue(sentByFamilyAndType.getOrDefault(family + " " + kind, 0L) > 0,
                                () -> family + " " + kind + " conns carried nothing: " + sentByFamilyAndType);
                    }
                }
            }
        }
    }

    /** A client of an IPv4 server and an IPv6 one, through strict: either may die, the app's flow goes on. */
    @ParameterizedTest
    @ValueSource(strings = {"IPv6", "IPv4"})
    void aClientOfAnIpv4AndAnIpv6ServerRidesOutTheLossOfEither(String killed) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "ipv6-failover-" + killed)) {
            LabProcess v4 = lab.server("tcp");
            LabProcess v6 = lab.server2("tcp");
            try (RsockLab.Client client = lab.client("tcp", "-t", TestNetwork.SERVER_ADDRESS + "," + TestNetwork.SERVER2_ADDRESS6)
                    .awaitServer(30_000).warmUp(lab)) {
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 1000, 1));
                Thread.sleep(3000);
                (killed.equals("IPv6") ? v6 : v4).kill();
                ProbeResult r = flow.get(60, TimeUnit.SECONDS);
                System.out.printf("strict, servers %s and %s, the %s one killed at 3 s of 10 s: %s, longest silence %d ms%n",
                        TestNetwork.SERVER_ADDRESS, TestNetwork.SERVER2_ADDRESS6, killed, r, Math.round(r.maxGapMillis()));
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 5, () -> "failover lost too much: " + r + "\nclient log:\n" + client.process().output());
                assertTrue(r.maxGapMillis() < 1500, () -> "the app saw an outage: " + r);
                assertEquals(0, lab.net.ispCounter("ct_invalid"));
            }
        }
    }

    /**
     * The isp's route to the server carries 1 280 bytes, every device 1 500 (a smaller link in the
     * middle, which no MSS tells the ends of): the first large packets of each end are dropped by
     * the isp, which says "packet too big" (IPv4: "fragmentation needed"); rsock then sizes its
     * frames for the path and the datagrams go through.
     */
    @ParameterizedTest
    @CsvSource({"tcp, 6", "icmp, 6", "tcp, 4"})
    void framesFollowThePathMtuARouterReports(String type, int family) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "pmtu-" + type + "-v" + family)) {
            lab.net.narrowServerPath(1280);
            lab.server(type);
            String server = family == 6 ? TestNetwork.SERVER_ADDRESS6 : TestNetwork.SERVER_ADDRESS;
            try (RsockLab.Client client = lab.client(type, "-t", server).awaitServer(30_000)) {
                lab.probeTunnel(200, 1400, 100, 1); // the first large packets meet the smaller link
                ProbeResult r = lab.probeTunnel(3000, 1400, 1000, 1);
                System.out.printf("strict, a 1280-byte link to the server, rsock %s over IPv%d, 3000 x 1400 B: %s%n", type, family, r);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "datagrams lost to the smaller link: " + r + "\nclient log:\n"
                        + client.process().output());
                assertTrue(client.process().output().contains("path MTU towards " + (family == 6 ? expand(server) : server) + " is 1280"),
                        () -> "the client never learned the path MTU:\n" + client.process().output());
            }
        }
    }

    /**
     * The pcap L2 paths over IPv6 after {@code ip neigh flush all}: the portable one (next hops
     * learned from the kernel's own frame to the server, its NDP included, and from each client's
     * frames) and the Linux one's pcap injector (IPv6 next hops from frames: /proc shows none).
     */
    @ParameterizedTest
    @CsvSource({"tcp, packet.portable=true", "icmp, packet.portable=true", "tcp, packet.injector=pcap"})
    void thePcapPathsFindIpv6NextHopsFromFrames(String type, String option) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "ipv6-" + type + "-" + option.replace('=', '-'))) {
            for (Side side : List.of(Side.CLIENT, Side.SERVER)) {
                lab.net.run(side, "ip", "neigh", "flush", "all");
                lab.net.run(side, "ip", "-6", "neigh", "flush", "all");
            }
            LabProcess server = lab.server(type, "--opt", option);
            try (RsockLab.Client client = lab.client(type, "-t", TestNetwork.SERVER_ADDRESS6, "--opt", option).awaitServer(30_000)
                    .warmUp(lab)) {
                ProbeResult r = lab.probeTunnel(5000, 1200, 2000, 1);
                String start = client.process().output().lines().filter(l -> l.contains("packet path:")).findFirst().orElse("");
                System.out.println("strict, " + option + " on both ends over IPv6 after ip neigh flush, rsock " + type + ": " + r
                        + "\n  client: " + start);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient log:\n" + client.process().output() + "\nserver log:\n"
                        + server.output());
                assertEquals(0, lab.net.ispCounter("ct_invalid"));
                if (option.startsWith("packet.portable")) {
                    assertTrue(start.contains("learned from the kernel's own frame to " + expand(TestNetwork.SERVER_ADDRESS6) + ":9"), start);
                }
            }
            server.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server");
        }
    }

    /**
     * {@code rsock demo --ipv6} from the tarball, every profile and transport: direct UDP over IPv6
     * policed by throttle and dropped by strict; fake TCP and ICMPv6 through all three, UDP through open
     * (the {@code all} rows are left out for time: {@link #oneServerTakesAClientsIpv4AndIpv6ConnsInOnePool} runs all over IPv6).
     */
    @Test
    void theDemoRunsEveryProfileOverIpv6() {
        Shell.Result demo = Shell.run(List.of(RsockLab.install().resolve("bin/rsock").toString(), "demo", "--ipv6", "--count", "1000",
                "--rate", "2000", "--types", "tcp,udp,icmp"), null, 600);
        System.out.println("rsock demo --ipv6:\n" + demo.out());
        assertEquals(0, demo.exitCode(), demo::out);
        assertTrue(demo.out().contains(", over IPv6"), demo::out);
        Map<String, Double> delivered = new HashMap<>();
        demo.out().lines().map(DEMO_ROW::matcher).filter(Matcher::find)
                .forEach(m -> delivered.put(m.group(1) + " " + m.group(2), Double.parseDouble(m.group(3))));
        assertTrue(delivered.getOrDefault("throttle direct UDP", 100.0) < 60, () -> "UDP over IPv6 not policed: " + delivered);
        assertEquals(0.0, delivered.getOrDefault("strict direct UDP", 100.0), () -> "UDP over IPv6 not dropped: " + delivered);
        assertTrue(delivered.getOrDefault("open rsock udp", 0.0) >= 99, () -> "open udp: " + delivered);
        for (String profile : List.of("open", "throttle", "strict")) {
            for (String type : List.of("tcp", "icmp")) {
                assertTrue(delivered.getOrDefault(profile + " rsock " + type, 0.0) >= 99, () -> profile + " " + type + ": " + delivered);
            }
        }
    }

    /** Frames sent so far, by conn family ("IPv4"/"IPv6") and transport, from the client's status. */
    private static Map<String, Long> framesSent(RsockLab.Client client) throws Exception {
        return ((List<?>) RsockLab.status(client).get("conns")).stream().map(c -> (Map<?, ?>) c).collect(Collectors.groupingBy(
                m -> (m.get("server").toString().startsWith("[") ? "IPv6 " : "IPv4 ") + m.get("transport"),
                Collectors.summingLong(m -> ((Number) m.get("frames_sent")).longValue())));
    }

    /** An IPv6 address as Java prints it (no {@code ::}), as rsock's logs and status show it. */
    private static String expand(String v6) {
        try {
            return InetAddress.getByName(v6).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(v6, e);
        }
    }
}
