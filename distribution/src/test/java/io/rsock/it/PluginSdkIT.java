package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.TestNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A third party's plugin from the shipped SDK: examples/plugin-dns, built by its own pom.xml
 * offline against nothing but the installation's sdk/ (its TCK runs), dropped into plugins/ of a
 * copy of the installation, carries a flow through the strict profile, where the ISP drops all UDP
 * but port 53 and NATs the client. And a plugin whose Plugin-Requires excludes this host's rsock-api
 * is refused with the reason, never loaded.
 */
class PluginSdkIT {
    private static Path dnsJar;

    @BeforeAll
    static void buildTheExampleFromTheShippedSdk() throws Exception {
        Path installation = RsockLab.install();
        Sdk.requireSdk(installation);
        Path dir = work("sdk-dns-build");
        Path home = Sdk.freshHome(dir);
        Path project = dir.resolve("plugin-dns");
        Shell.check(List.of("cp", "-a", Paths.get(System.getProperty("rsock.example.dns", "../examples/plugin-dns")).toString(),
                project.toString()));
        Shell.check(List.of("rm", "-rf", project.resolve("target").toString()));
        Shell.Result build = Sdk.bash("mkdir -p ~/.m2/repository && cp -rn \"$RSOCK/sdk/repository/.\" ~/.m2/repository/\n"
                + "mvn -o -B verify", project, home, installation);
        assertEquals(0, build.exitCode(), "examples/plugin-dns built from sdk/ alone:\n" + build.out());
        assertTrue(build.out().contains("Tests run:") && !build.out().contains("Tests run: 0,"), "its TCK ran:\n" + build.out());
        dnsJar = project.resolve("target/plugin-dns-0.1.0.jar");
    }

    private static Path work(String name) throws IOException {
        return Files.createDirectories(Paths.get(System.getProperty("rsock.work", "target/it-work")).toAbsolutePath()
                .resolve(name + "-" + System.currentTimeMillis()));
    }

    private static Shell.Result rsock(Path installation, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(installation.resolve("bin/rsock").toString()));
        cmd.addAll(List.of(args));
        return Shell.run(cmd);
    }

    @Test
    void theDnsJarDroppedIntoPluginsIsListedAsAnOptInTransport() throws Exception {
        Path installation = RsockLab.installationWith(work("sdk-list").resolve("rsock"), dnsJar);
        Shell.Result r = rsock(installation, "plugins");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("dns ") && l.contains("plugin-dns") && l.contains("opt-in")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("udp ")), r.out());
    }

    @Test
    void dnsCarriesAFlowThroughStrictWhereOnlyPort53Passes() throws Exception {
        RsockLab.assumeLab();
        Path installation = RsockLab.installationWith(work("sdk-dns").resolve("rsock"), dnsJar);
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "dns-strict").using(installation)) {
            LabProcess server = lab.server("dns", "-p", "53");
            try (RsockLab.Client client = lab.client("dns", "-p", "53").awaitServer()) {
                ProbeResult direct = lab.probeDirect(200, 100, 200, 1);
                // Small datagrams fit one query; 1 200-byte ones are split into 12 query frames each.
                ProbeResult small = lab.probeTunnel(2000, 100, 1000, 4);
                ProbeResult large = lab.probeTunnel(500, 1200, 100, 1);
                System.out.println("strict, direct UDP to the echo:            " + direct);
                System.out.println("strict, rsock dns, 2000 x 100 B at 1000/s: " + small);
                System.out.println("strict, rsock dns, 500 x 1200 B at 100/s:  " + large);
                String logs = "\nclient counters: " + RsockLab.status(client).get("counters") + "\nserver counters: "
                        + lab.serverStatus().get("counters") + "\nclient log:\n" + client.process().output() + "\nserver log:\n"
                        + server.output();
                assertEquals(0, direct.received(), "strict drops UDP that is not DNS: " + direct);
                assertEquals(0, small.corrupt() + small.misrouted(), small + logs);
                assertEquals(0, large.corrupt() + large.misrouted(), large + logs);
                assertTrue(small.lossPercent() < 1, () -> "loss " + small + logs);
                assertTrue(large.lossPercent() < 2, () -> "loss " + large + logs);
                String conns = String.valueOf(lab.serverStatus().get("clients"));
                assertTrue(conns.contains("dns ") && conns.contains("-> " + TestNetwork.ISP_SERVER_SIDE + ":"),
                        () -> "the server sees the client's dns conn NATed: " + conns);
            }
        }
    }

    @Test
    void aPluginThatRequiresAnotherApiIsRefusedWithTheReason() throws Exception {
        Path dir = work("sdk-requires");
        Path installation = RsockLab.installationWith(dir.resolve("rsock"));
        withRequires(dnsJar, installation.resolve("plugins").resolve("plugin-dns-0.1.0.jar"), ">=0.2.0 & <0.3.0");

        Shell.Result list = rsock(installation, "plugins");
        assertEquals(1, list.exitCode(), list.out());
        assertTrue(list.out().contains("not loaded: plugin-dns 0.1.0 (plugin-dns-0.1.0.jar): requires rsock-api >=0.2.0 & <0.3.0"
                + " but this host has 0.1.0"), list.out());
        assertFalse(list.out().lines().anyMatch(l -> l.startsWith("dns ")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("udp ")), "the other plugins still load: " + list.out());

        Shell.Result run = rsock(installation, "server", "-t", "127.0.0.1:9999", "--type", "dns", "-p", "53", "--log", dir.toString(),
                "--hash", "plugin-sdk-test-secret");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.out().contains("--type: no loaded plugin provides 'dns'"), run.out());
        assertTrue(run.out().contains("requires rsock-api >=0.2.0"), "the reason is in the output too: " + run.out());
        assertFalse(run.out().contains("NoSuchMethodError") || run.out().contains("Exception"), run.out());
    }

    /** A copy of {@code jar} whose manifest says {@code Plugin-Requires: requires}: a plugin built for another host. */
    private static void withRequires(Path jar, Path out, String requires) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().putValue("Plugin-Requires", requires);
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    o.putNextEntry(new JarEntry(e.getName()));
                    copy(in, o);
                    o.closeEntry();
                }
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
