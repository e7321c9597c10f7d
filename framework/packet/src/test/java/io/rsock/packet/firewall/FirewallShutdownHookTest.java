package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.netlab.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's exit removes the run's table when nobody else did, and only then (no root: the commands are printed, not run). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirewallShutdownHookTest {
    static final String DELETE = "CMD nft delete table inet rsock_4242";

    @Test
    void exitWithoutCloseRemovesTheTable() throws Exception {
        assertEquals(List.of("MAIN DONE", DELETE), afterMain(run("exit-without-close")));
    }

    @Test
    void aCleanCloseLeavesTheHookNothingToDo() throws Exception {
        assertEquals(List.of(DELETE, "MAIN DONE"), afterMain(run("close")));
    }

    @Test
    void aFailedCloseIsRetriedAtExit() throws Exception {
        assertEquals(List.of(DELETE, "MAIN DONE", DELETE), afterMain(run("fail-first-delete")));
    }

    /** The lines from the table deletion on, once the rule is installed. */
    private static List<String> afterMain(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.equals(DELETE) || l.equals("MAIN DONE")) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> run(String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(FirewallExitMain.class.getName()));
        cmd.add(mode);
        Path log = Files.createTempFile("rsock-fw-exit-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not exit:\n" + Files.readString(log));
            }
            return Files.readString(log, StandardCharsets.UTF_8).lines().toList();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
