package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.Shell;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher of the unpacked tarball, as a user meets it; needs no root. */
class LauncherIT {
    private static Shell.Result rsock(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(RsockLab.install().resolve("bin/rsock").toString()));
        cmd.addAll(List.of(args));
        return Shell.run(cmd);
    }

    @Test
    void aBadPortIsOneLineAndExitCodeTwo() {
        Shell.Result r = rsock("server", "--ports", "70000");
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains("--ports"), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void pluginsListsTheUdpTransport() {
        Shell.Result r = rsock("plugins");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("udp ") && l.contains("plugin-udp")), r.out());
    }

    @Test
    void versionAndHelpWork() {
        Shell.Result v = rsock("--version");
        assertEquals(0, v.exitCode(), v.out());
        assertTrue(v.out().contains("0.1.0"), v.out());
        assertTrue(v.out().contains("Java 17") || v.out().contains("Java "), v.out());
        assertTrue(v.out().lines().anyMatch(l -> l.startsWith("plugins: ") && l.contains("udp (plugin-udp 0.1.0)")), v.out());
        Shell.Result h = rsock("--help");
        assertEquals(0, h.exitCode(), h.out());
        assertTrue(h.out().contains("server") && h.out().contains("client") && h.out().contains("demo"), h.out());
    }

    @Test
    void theTarballShipsCompletionAndServiceUnits() throws Exception {
        java.nio.file.Path home = RsockLab.install();
        String completion = java.nio.file.Files.readString(home.resolve("completion/rsock.bash"));
        assertTrue(completion.contains("complete -F") && completion.contains("reload"), "bash completion knows the commands");
        Shell.Result r = Shell.run(List.of("bash", "-c", "source " + home.resolve("completion/rsock.bash")
                + " && COMP_WORDS=(rsock re) COMP_CWORD=1 _complete_rsock rsock re rsock; echo \"${COMPREPLY[@]}\""));
        assertTrue(r.out().contains("reload"), "rsock re<TAB> completes to reload: " + r.out());
        for (String unit : List.of("rsock-server.service", "rsock-client.service")) {
            String u = java.nio.file.Files.readString(home.resolve("systemd").resolve(unit));
            assertTrue(u.contains("Type=simple") && u.contains("Restart=on-failure") && u.contains("--daemon 0")
                    && u.contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN") && u.contains("User=rsock"), unit);
        }
    }
}
