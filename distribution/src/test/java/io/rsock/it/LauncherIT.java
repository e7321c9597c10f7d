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
    void aMistypedOptIsOneLineNamingItAndTheKnownKeysAndExitCodeTwo() throws Exception {
        java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("rsock-launcher-");
        // mtu is the host's own key (the transports' path MTU): accepted, and listed among the known ones.
        Shell.Result r = rsock("server", "-t", "127.0.0.1:9999", "--log", logs.toString(), "--hash", "launcher-test-secret",
                "--opt", "mtu=1400", "--opt", "tcp.keepalvie=5s");
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains("--opt tcp.keepalvie: no loaded transport or layer reads this key; known keys: ")
                && r.out().contains("tcp.keepalive") && r.out().contains("packet.portable") && r.out().contains("udp.idle")
                && r.out().contains(" mtu, "), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    /** The launcher run with {@code env -i} and only these variables: nothing of this JVM's environment leaks in. */
    private static Shell.Result launcher(List<String> environment, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("env", "-i"));
        cmd.addAll(environment);
        cmd.add(RsockLab.install().resolve("bin/rsock").toString());
        cmd.addAll(List.of(args));
        return Shell.run(cmd);
    }

    @Test
    void noJavaIsOneLineAndExitCodeOne() throws Exception {
        // A PATH with the tools the launcher uses and no java.
        java.nio.file.Path bin = java.nio.file.Files.createTempDirectory("rsock-nojava-");
        for (String tool : List.of("dirname", "readlink", "uname", "sed")) {
            Shell.Result which = Shell.run(List.of("sh", "-c", "command -v " + tool));
            java.nio.file.Files.createSymbolicLink(bin.resolve(tool), java.nio.file.Path.of(which.out().strip()));
        }
        Shell.Result r = launcher(List.of("PATH=" + bin), "--version");
        assertEquals(1, r.exitCode(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("rsock: Java 17 or newer was not found") && r.out().contains("JAVA_HOME"), r.out());
    }

    @Test
    void noLibpcapIsOneLineAndExitCodeOneUnlessTheRunIsPlainUdp() {
        String java = "JAVA_HOME=" + System.getProperty("java.home");
        List<String> env = List.of("PATH=/usr/bin:/bin", java, "RSOCK_LIBPCAP=/nonexistent/libpcap.so.1");
        Shell.Result r = launcher(env, "server", "-t", "127.0.0.1:9999");
        assertEquals(1, r.exitCode(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("rsock: libpcap was not found at RSOCK_LIBPCAP=/nonexistent/libpcap.so.1: install it"), r.out());
        // --type udp needs no libpcap: the launcher lets it through, and the host's own check answers.
        Shell.Result udp = launcher(env, "server", "-t", "127.0.0.1:9999", "--type", "udp", "--ports", "70000");
        assertEquals(2, udp.exitCode(), udp.out());
        assertTrue(udp.out().contains("--ports"), udp.out());
        Shell.Result version = launcher(env, "--version");
        assertEquals(0, version.exitCode(), "commands that run no tunnel need no libpcap: " + version.out());
    }

    @Test
    void theLibpcapFoundIsHandedToTheHost() {
        Shell.Result r = launcher(List.of("PATH=/usr/bin:/bin", "JAVA_HOME=" + System.getProperty("java.home"),
                "RSOCK_OPTS=-XshowSettings:properties"), "--version");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("org.pcap4j.core.pcapLibName = /") && l.contains("libpcap")), r.out());
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
