package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege: a server started without CAP_NET_RAW and CAP_NET_ADMIN (dropped with setpriv from
 * root's bounding set, in the lab's server namespace) fails at once with one line naming both and
 * exit 1, leaving no rule; with {@code --type udp} it needs neither and runs.
 */
class PrivilegeIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
        RsockLab.assumeCommand("setpriv");
    }

    @Test
    void withoutTheCapabilitiesFakeTcpSaysWhatIsMissingAndUdpRuns() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "privileges")) {
            LabProcess tcp = lab.net.start(Side.SERVER, "server-nocaps-tcp", withoutCaps("--type", "tcp"));
            int code = tcp.waitFor(20_000);
            String line = tcp.output().lines().filter(l -> l.contains("raw packets need")).findFirst().orElse("");
            System.out.println("without caps, --type tcp: exit " + code + ": " + line.strip());
            assertEquals(1, code, tcp::output);
            assertTrue(line.contains("CAP_NET_RAW and CAP_NET_ADMIN"), tcp::output);
            assertFalse(tcp.output().contains("Exception"), tcp::output);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left");

            LabProcess udp = lab.net.start(Side.SERVER, "server-nocaps-udp", withoutCaps("--type", "udp"));
            Thread.sleep(4000);
            assertTrue(udp.isAlive(), udp::output);
            assertEquals(0, udp.stop(10_000), udp::output);
        }
    }

    /** The README's "Without root": an unprivileged user with exactly the two capabilities, ambient, runs fake TCP. */
    @Test
    void anUnprivilegedUserWithTheTwoAmbientCapabilitiesRunsFakeTcp() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "privileges-ambient")) {
            String secret = java.nio.file.Files.readString(lab.work.resolve("secret")).strip();
            java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("rsock-nobody");
            java.nio.file.Files.setPosixFilePermissions(logs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                    "--inh-caps", "+net_raw,+net_admin", "--ambient-caps", "+net_raw,+net_admin",
                    RsockLab.install().resolve("bin/rsock").toString(), "server", "-t", "127.0.0.1:" + RsockLab.ECHO_PORT, "-p",
                    RsockLab.PORTS, "--hash", secret, "--log", logs.toString(), "--type", "tcp"));
            LabProcess server = lab.net.start(Side.SERVER, "server-nobody", cmd);
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                io.rsock.netlab.ProbeResult r = lab.probeTunnel(2000, 1200, 2000, 1);
                System.out.println("server as nobody with ambient cap_net_raw,cap_net_admin, strict: " + r + "; rules: "
                        + lab.rsockRules(Side.SERVER).lines().count() + " lines");
                assertTrue(r.lossPercent() < 1, () -> r + "\n" + server.output());
                assertFalse(lab.rsockRules(Side.SERVER).isEmpty(), "nft as nobody installed no rule");
            }
            assertEquals(0, server.stop(10_000), server::output);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left");
        }
    }

    private static List<String> withoutCaps(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw,-net_admin", "--inh-caps",
                "-net_raw,-net_admin", RsockLab.install().resolve("bin/rsock").toString(), "server", "-t", "127.0.0.1:9999",
                "-p", RsockLab.PORTS, "--hash", "x", "--log", System.getProperty("java.io.tmpdir")));
        cmd.addAll(List.of(extra));
        return cmd;
    }
}
