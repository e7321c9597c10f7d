package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin SDK from the tarball alone, as docs/writing-a-plugin.md tells a third party: the
 * tarball unpacked, a home whose local Maven repository starts empty, offline; the guide's commands
 * ({@code guide/sdk.sh}, shown verbatim in the guide) put the SDK into that repository, generate a
 * plugin from the archetype, build it (its TCK runs) and drop it into {@code plugins/}; then the
 * guide's {@code rsock server} and {@code rsock client} lines ({@code guide/run.sh}) carry 1 000
 * datagrams over the new transport between network namespaces.
 */
class SdkIT {
    private static Path installation;
    private static Shell.Result guide;

    @BeforeAll
    static void followTheGuideFromTheTarball() throws Exception {
        Path tarball = Paths.get(System.getProperty("rsock.tarball", "target/rsock-0.1.0.tar.gz"));
        assertTrue(Files.isRegularFile(tarball), "no " + tarball.toAbsolutePath() + ": run mvn package first");
        Path dir = Files.createDirectories(Paths.get(System.getProperty("rsock.work", "target/it-work")).toAbsolutePath()
                .resolve("sdk-guide-" + System.currentTimeMillis()));
        Shell.check(List.of("tar", "xzf", tarball.toString(), "-C", dir.toString()));
        try (var unpacked = Files.list(dir)) {
            installation = unpacked.filter(p -> p.getFileName().toString().startsWith("rsock-")).findFirst().orElseThrow();
        }
        Sdk.requireSdk(installation);
        Path home = Sdk.freshHome(dir);
        Path projects = Files.createDirectories(dir.resolve("projects"));
        guide = Sdk.bash(Sdk.resource("guide/sdk.sh"), projects, home, installation);
    }

    @Test
    void theGuidesCommandsBuildAPluginFromTheTarballAloneAndItLoads() {
        assertEquals(0, guide.exitCode(), "the guide's commands, offline, from an empty local repository:\n" + guide.out());
        assertTrue(guide.out().contains("XorTransportComplianceTest"), "the generated plugin's TCK ran:\n" + guide.out());
        assertTrue(guide.out().contains("Tests run: 20, Failures: 0, Errors: 0"), "and passed:\n" + guide.out());
        for (String expected : Sdk.resource("guide/plugins.txt").lines().toList()) {
            List<String> words = Arrays.asList(expected.trim().split("\\s+"));
            assertTrue(guide.out().lines().anyMatch(l -> Arrays.asList(l.trim().split("\\s+")).equals(words)),
                    "`rsock plugins` prints what the guide shows: '" + expected + "'\n" + guide.out());
        }
    }

    @Test
    void theGeneratedPluginCarriesAThousandDatagramsThroughBinRsock() throws Exception {
        assertEquals(0, guide.exitCode(), guide.out());
        RsockLab.assumeLab();
        List<String> serverLine = guideLine("rsock server");
        List<String> clientLine = guideLine("rsock client");
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "sdk-xor").using(installation)) {
            LabProcess server = lab.server(type(serverLine), rest(serverLine));
            try (RsockLab.Client client = lab.client(type(clientLine), rest(clientLine)).awaitServer()) {
                ProbeResult r = lab.probeTunnel(1000, 1200, 1000, 1);
                System.out.println("open, 1 000 x 1200 B at 1000/s, the archetype's xor plugin: " + r);
                String logs = "\nclient log:\n" + client.process().output() + "\nserver log:\n" + server.output();
                assertEquals(0, r.corrupt() + r.misrouted(), r + logs);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + logs);
                Map<?, ?> reasons = (Map<?, ?>) lab.serverStatus().get("drop_reasons");
                assertTrue(String.valueOf(reasons.get("xor.bad_datagrams")).startsWith("datagrams that were not this transport's"),
                        "the plugin's counters are listed with the words they were declared with: " + reasons);
            }
        }
    }

    /** The words of the guide's line that starts {@code prefix}, from the role on, without what the lab sets itself. */
    private static List<String> guideLine(String prefix) {
        String line = Sdk.resource("guide/run.sh").lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")).subList(2, line.trim().split("\\s+").length));
        for (String own : List.of("-t", "-l", "--hash-file", "-p")) {
            int i = words.indexOf(own);
            if (i >= 0) {
                words.subList(i, i + 2).clear();
            }
        }
        return words;
    }

    private static String type(List<String> words) {
        return words.get(words.indexOf("--type") + 1);
    }

    private static String[] rest(List<String> words) {
        List<String> rest = new ArrayList<>(words);
        rest.subList(rest.indexOf("--type"), rest.indexOf("--type") + 2).clear();
        return rest.toArray(String[]::new);
    }
}
