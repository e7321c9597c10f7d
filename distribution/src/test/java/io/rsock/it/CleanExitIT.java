package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The firewall rules fake TCP needs are rsock's own, and go away with it: on SIGINT, SIGTERM and
 * SIGUSR1 (exit code 0 each), on a failed start, and after a kill -9 at the next start. With
 * {@code --no-rules} nothing is installed and the rules to add are printed.
 */
class CleanExitIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "USR1"})
    void aSignalClosesTheRunRemovesItsRulesAndExitsZero(String signal) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "exit-" + signal)) {
            LabProcess server = lab.server("tcp");
            RsockLab.Client client = lab.client("tcp").awaitServer();
            String serverRules = lab.rsockRules(Side.SERVER);
            String clientRules = lab.rsockRules(Side.CLIENT);
            System.out.println("SIG" + signal + ": rules while running, server:\n" + serverRules + "client:\n" + clientRules);
            assertFalse(serverRules.isEmpty(), "the server installed no rule");
            assertFalse(clientRules.isEmpty(), "the client installed no rule");
            for (LabProcess p : List.of(client.process(), server)) {
                Shell.check(List.of("kill", "-s", signal, "" + p.pid()));
                assertEquals(0, p.waitFor(10_000), () -> p + " did not exit 0 on SIG" + signal + ":\n" + p.output());
            }
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server after SIG" + signal);
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client after SIG" + signal);
        }
    }

    @Test
    void aFailedStartLeavesNoRules() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "exit-failed")) {
            LabProcess first = lab.server("tcp");
            RsockLab.Client client = lab.client("tcp").awaitServer();
            // A second server whose metrics address is on no interface fails after its transports
            // installed their rules: it must remove its own and leave the first run's alone.
            String before = lab.rsockRules(Side.SERVER);
            LabProcess second = lab.server("tcp", "-p", "10011-10012", "--metrics", "10.9.9.9:9464");
            int code = second.waitFor(15_000);
            System.out.println("failed start exit " + code + ": " + second.output().strip().lines().reduce((a, b) -> b).orElse(""));
            assertEquals(1, code, second::output);
            assertEquals(before, lab.rsockRules(Side.SERVER), "the failed start changed the rules");
            client.close();
            first.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER));
        }
    }

    @Test
    void noRulesInstallsNothingAndPrintsWhatToAdd() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "no-rules")) {
            LabProcess server = lab.server("tcp", "--no-rules");
            Thread.sleep(3000);
            assertTrue(server.isAlive(), server::output);
            assertEquals("", lab.rsockRules(Side.SERVER), "--no-rules installed rules");
            assertTrue(server.output().contains("--no-rules") && server.output().contains("nft "), server::output);
            server.stop(5000);
        }
    }
}
