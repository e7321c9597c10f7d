package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Running nft/iptables: output and exit code come back, input goes in, and a tool that hangs is
 * cut off at the time limit (a hung nft in the shutdown hook must not hang the JVM's exit).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessCommandRunnerTest {
    static void assumeShell() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
    }

    @Test
    void outputAndExitCode() throws Exception {
        assumeShell();
        CommandRunner.Result r = new ProcessCommandRunner().run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), null);
        assertEquals(3, r.exitCode());
        assertTrue(r.output().contains("out") && r.output().contains("err"), r.output());
    }

    @Test
    void standardInputIsFed() throws Exception {
        assumeShell();
        CommandRunner.Result r = new ProcessCommandRunner().run(List.of("/bin/sh", "-c", "cat"), "table inet x {\n}\n");
        assertTrue(r.ok());
        assertEquals("table inet x {\n}", r.output());
    }

    @Test
    void aMissingProgramIsAnIOExceptionAndNotAvailable() {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        assertThrows(IOException.class, () -> runner.run(List.of("rsock-no-such-program"), null));
        assertTrue(!runner.available("rsock-no-such-program"));
    }

    @Test
    void aHungToolIsCutOffAtTheTimeLimit() throws Exception {
        assumeShell();
        long start = System.nanoTime();
        // The tool keeps its output open and never exits, as an nft stuck on the netlink socket would.
        CommandRunner.Result r = new ProcessCommandRunner(Duration.ofMillis(500)).run(List.of("/bin/sh", "-c", "echo started; exec sleep 60"), null);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 10_000, "took " + millis + " ms");
        assertEquals(-1, r.exitCode());
        assertTrue(r.output().contains("did not finish within"), r.output());
    }
}
