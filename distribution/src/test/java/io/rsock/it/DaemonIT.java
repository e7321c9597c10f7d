package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --daemon 1} as the original's users run it: the command returns at once with exit 0, the
 * server goes on detached (its own session, no terminal), writes its pid file and log to
 * {@code --log}, serves a client, and on SIGTERM exits and takes its pid file along.
 */
class DaemonIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void daemonDetachesWritesPidAndLogAndStopsOnSigterm() throws Exception {
        long pid = -1;
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "daemon")) {
            try {
                LabProcess parent = lab.server("udp", "--daemon", "1");
                assertEquals(0, parent.waitFor(20_000), "the launching command returns at once: " + parent.output());
                assertTrue(parent.output().contains("running in the background, pid"), parent.output());

                Path pidFile = lab.work.resolve("rsock-server.pid");
                for (int i = 0; i < 100 && !Files.exists(pidFile); i++) {
                    Thread.sleep(100);
                }
                assertTrue(Files.exists(pidFile), "pid file in --log: " + pidFile);
                pid = Long.parseLong(Files.readString(pidFile).trim());
                Optional<ProcessHandle> daemon = ProcessHandle.of(pid);
                assertTrue(daemon.isPresent() && daemon.get().isAlive(), "the daemon runs as pid " + pid);

                // /proc/PID/stat: field 6 is the session, 7 the controlling terminal (0: none).
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                assertEquals(String.valueOf(pid), f[3], "leads its own session (setsid): " + stat);
                assertEquals("0", f[4], "no controlling terminal: " + stat);

                try (RsockLab.Client client = lab.client("udp").awaitServer()) {
                    ProbeResult r = lab.probeTunnel(1000, 200, 1000, 1);
                    assertTrue(r.lossPercent() < 1, r::toString);
                }
                String log = Files.readString(lab.work.resolve("rsock-server.log"));
                assertTrue(log.contains("server listening on"), "the daemon logs to --log: " + log);
                assertTrue(Files.exists(lab.work.resolve("rsock-server.out")), "stdout and stderr kept in --log");

                new ProcessBuilder("kill", "-TERM", String.valueOf(pid)).start().waitFor();
                ProcessHandle h = daemon.get();
                for (int i = 0; i < 100 && h.isAlive(); i++) {
                    Thread.sleep(100);
                }
                assertFalse(h.isAlive(), "SIGTERM stops the daemon");
                assertFalse(Files.exists(pidFile), "the pid file goes with it");
                pid = -1;
            } finally {
                if (pid > 0) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
