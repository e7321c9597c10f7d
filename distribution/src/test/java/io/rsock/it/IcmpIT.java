package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.core.control.ControlClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ICMP transport from the unpacked tarball between real namespaces, in the open profile and in
 * the strict one (the client behind NAT, conntrack dropping what it finds invalid; strict drops UDP
 * but lets ICMP through, which is the point of this transport): datagrams intact, not one packet
 * conntrack-invalid, an ordinary ping from the client still answered by the server's kernel while
 * the tunnel runs, and no firewall rule left behind.
 */
class IcmpIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
        RsockLab.assumeCommand("ping");
    }

    @ParameterizedTest
    @EnumSource(value = IspProfile.class, names = {"OPEN", "STRICT"})
    void tenThousandDatagramsArriveIntactAndPlainPingStillWorks(IspProfile profile) throws Exception {
        try (RsockLab lab = RsockLab.open(profile, "icmp-" + profile.label())) {
            LabProcess server = lab.server("icmp");
            try (RsockLab.Client client = lab.client("icmp").awaitServer().warmUp(lab)) {
                // 10 000 x 1 200 B at 2 000/s take 5 s; an ordinary ping runs alongside.
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 2000, 1));
                Thread.sleep(500);
                Shell.Result ping = lab.net.tryRun(Side.CLIENT, "ping", "-c", "5", "-i", "0.5", "-W", "2", "-n",
                        TestNetwork.SERVER_ADDRESS);
                String rules = lab.rsockTables(Side.SERVER);
                ProbeResult r = flow.get(60, TimeUnit.SECONDS);
                System.out.println(profile.label() + ", 10 000 x 1200 B at 2 000/s, rsock icmp: " + r);
                System.out.println(profile.label() + ", plain ping during the run: "
                        + ping.out().lines().filter(l -> l.contains("transmitted")).findFirst().orElse(ping.out()));
                System.out.println(profile.label() + ", the server's rules during the run:\n" + rules);
                System.out.println(profile.label() + ", client counters: " + icmpCounters(ControlClient.status(client.controlSocket())));
                System.out.println(profile.label() + ", server counters: " + icmpCounters(lab.serverStatus()));
                long invalid = lab.net.ispCounter("ct_invalid");
                System.out.println(profile.label() + ", packets conntrack found invalid at the isp: " + invalid);
                assertEquals(0, r.corrupt(), r::toString);
                assertEquals(0, r.misrouted(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient log:\n" + client.process().output()
                        + "\nserver log:\n" + server.output());
                assertTrue(ping.ok() && ping.out().contains(" 5 received"), () -> "plain ping not answered during the run:\n"
                        + ping.out());
                assertTrue(rules.contains("icmp type echo-request icmp id"), () -> "no per-conn echo rule on the server: " + rules);
                assertTrue(!rules.contains("drop") || rules.lines().filter(l -> l.contains("drop")).allMatch(l -> l.contains("icmp id")),
                        () -> "every ICMP rule names a conn's identifier, so other pings stay the kernel's: " + rules);
                if (profile == IspProfile.STRICT) {
                    assertEquals(0, invalid, "packets conntrack found invalid");
                    NatCheck.assertClientNatedByIsp(lab);
                }
            }
            server.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server");
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client");
            Shell.Result after = lab.net.tryRun(Side.CLIENT, "ping", "-c", "1", "-W", "2", "-n", TestNetwork.SERVER_ADDRESS);
            assertTrue(after.ok(), () -> "ping after the run: " + after.out());
        }
    }

    /** The non-zero counters of a status tree but sessions' and conns', to tell where a datagram was lost. */
    static Map<String, Object> icmpCounters(Map<String, Object> status) {
        Map<String, Object> out = new TreeMap<>();
        if (status.get("counters") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                String key = k.toString();
                if (!"0".equals(String.valueOf(v)) && !key.startsWith("session.") && !key.startsWith("conn.")) {
                    out.put(key, v);
                }
            });
        }
        return out;
    }
}
