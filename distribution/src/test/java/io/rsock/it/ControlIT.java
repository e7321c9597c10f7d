package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rsock.core.control.ControlClient;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control socket as an operator uses it: {@code rsock status} (tables and {@code --json}) and
 * {@code rsock reload} changing ports and log level under a running flow, which loses nothing.
 */
class ControlIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    private static Shell.Result rsock(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(RsockLab.install().resolve("bin/rsock").toString()));
        cmd.addAll(List.of(args));
        return Shell.run(cmd);
    }

    @Test
    void reloadChangesPortsAndLogLevelWithoutLosingADatagram() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "reload")) {
            Path serverConf = lab.work.resolve("server.json");
            Path clientConf = lab.work.resolve("client.json");
            Files.writeString(serverConf, "{\"ports\": \"10001-10002\"}");
            Files.writeString(clientConf, "{\"ports\": \"10001-10002\"}");
            LabProcess server = lab.server("udp", "-f", serverConf.toString());
            try (RsockLab.Client client = lab.client("udp", "-f", clientConf.toString()).awaitServer()) {
                // 12 s of traffic at 500/s across three reloads.
                CompletableFuture<ProbeResult> probe = CompletableFuture.supplyAsync(() -> lab.probeTunnel(6000, 200, 500, 2));
                Thread.sleep(2000);

                Files.writeString(serverConf, "{\"ports\": \"10001-10004\", \"verbose\": true}");
                Files.writeString(clientConf, "{\"ports\": \"10001-10004\", \"verbose\": true}");
                Shell.Result rs = rsock("reload", "--unPath", lab.serverSocket().toString());
                assertEquals(0, rs.exitCode(), rs.out());
                assertTrue(rs.out().contains("added [10003, 10004]") && rs.out().contains("debug"), rs.out());
                Shell.Result rc = rsock("reload", "--unPath", client.controlSocket().toString());
                assertEquals(0, rc.exitCode(), rc.out());
                assertTrue(rc.out().contains("added [10003, 10004], removed none"), rc.out());
                Thread.sleep(3000);

                // The client leaves port 10001: its conn drains, the flow moves to the other three.
                Files.writeString(clientConf, "{\"ports\": \"10002-10004\", \"verbose\": true}");
                Shell.Result shrink = rsock("reload", "--unPath", client.controlSocket().toString(), "--json");
                assertEquals(0, shrink.exitCode(), shrink.out());
                assertTrue(shrink.out().contains("removed [10001]"), shrink.out());

                ProbeResult r = probe.get();
                System.out.println("reload under a 6000 x 200 B flow at 500/s, rsock udp: " + r);
                String logs = "\nclient log:\n" + client.process().output() + "\nserver log:\n" + server.output();
                assertEquals(r.sent(), r.received(), () -> "datagrams lost across the reloads: " + r + logs);
                assertEquals(0, r.corrupt() + r.misrouted(), r::toString);

                Map<String, Object> cs = ControlClient.status(client.controlSocket());
                assertEquals("debug", cs.get("log_level"));
                List<?> conns = (List<?>) cs.get("conns");
                assertEquals(3, conns.size(), "client conns after the reloads: " + conns);
                assertTrue(conns.stream().allMatch(c -> "OPEN".equals(((Map<?, ?>) c).get("state"))), conns.toString());
                Map<String, Object> ss = lab.serverStatus();
                assertEquals("10001-10004", ss.get("ports"));
                assertEquals("debug", ss.get("log_level"));

                // Status for people and for scripts.
                Shell.Result human = rsock("status", "--unPath", client.controlSocket().toString());
                assertEquals(0, human.exitCode(), human.out());
                assertTrue(human.out().contains("TRANSPORT") && human.out().contains("RTT MS") && human.out().contains("DROPS"),
                        human.out());
                assertTrue(human.out().lines().filter(l -> l.startsWith("udp ") && l.contains("OPEN")).count() == 3, human.out());
                Shell.Result humanServer = rsock("status", "--unPath", lab.serverSocket().toString());
                assertTrue(humanServer.out().contains("rsock server") && humanServer.out().contains("client "), humanServer.out());
                Shell.Result json = rsock("status", "--unPath", client.controlSocket().toString(), "--json");
                Map<?, ?> parsed = new ObjectMapper().readValue(json.out(), Map.class);
                assertTrue(((Map<?, ?>) parsed.get("drops")).containsKey("frame.bad_mac"), json.out());
                System.out.println("rsock status (client):\n" + human.out() + "\nrsock status (server):\n" + humanServer.out());
            }
        }
    }

    @Test
    void aReloadWithABrokenConfigChangesNothingAndSaysWhy() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "reload-bad")) {
            Path serverConf = lab.work.resolve("server.json");
            Files.writeString(serverConf, "{\"ports\": \"10001-10002\"}");
            lab.server("udp", "-f", serverConf.toString());
            Thread.sleep(200);
            awaitSocket(lab.serverSocket());
            Files.writeString(serverConf, "{\"ports\": \"10001-70000\"}");
            Shell.Result r = rsock("reload", "--unPath", lab.serverSocket().toString());
            assertEquals(1, r.exitCode(), r.out());
            assertTrue(r.out().contains("nothing changed") && r.out().contains("ports"), r.out());
            assertEquals("10001-10002", lab.serverStatus().get("ports"));
        }
    }

    private static void awaitSocket(Path socket) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(100);
        }
    }
}
