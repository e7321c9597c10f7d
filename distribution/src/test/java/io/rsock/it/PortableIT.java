package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Side;
import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The portable packet path, exactly what macOS and Windows run, forced on Linux with
 * {@code --opt packet.portable=true} on both ends: fake TCP and ICMP through {@code strict} (the
 * client NATed, conntrack dropping what it finds invalid) after {@code ip neigh flush all} in the
 * client's and the server's namespaces, so nothing can come from a neighbour cache rsock read;
 * plain UDP through {@code open}. Both JVMs log every class they load, and not one may be
 * {@link LinuxOnly}.
 */
class PortableIT {
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source:");

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @ParameterizedTest
    @CsvSource({"tcp, STRICT", "icmp, STRICT", "udp, OPEN"})
    void theTunnelRunsOnThePortablePathWithEmptyNeighbourCaches(String type, IspProfile profile) throws Exception {
        try (RsockLab lab = RsockLab.open(profile, "portable-" + type)) {
            lab.withEnvironment("RSOCK_OPTS=-Xlog:class+load=info:file=" + lab.work.resolve("classes-%p.log"));
            for (Side side : List.of(Side.CLIENT, Side.SERVER)) {
                lab.net.run(side, "ip", "neigh", "flush", "all");
                assertEquals("", lab.net.run(side, "ip", "-4", "neigh", "show").strip(), side + "'s neighbour cache is not empty");
            }
            LabProcess server = lab.server(type, "--opt", "packet.portable=true");
            try (RsockLab.Client client = lab.client(type, "--opt", "packet.portable=true").awaitServer().warmUp(lab)) {
                ProbeResult r = lab.probeTunnel(5000, 1200, 2000, 1);
                System.out.println(profile.label() + ", portable path on both ends after ip neigh flush, 5000 x 1200 B at 2000/s, rsock "
                        + type + ": " + r);
                String clientLog = client.process().output();
                System.out.println("client packet layer: " + RsockLab.status(client).get("packet"));
                System.out.println("server packet layer: " + lab.serverStatus().get("packet"));
                System.out.println("client: " + startLine(clientLog));
                System.out.println("server: " + startLine(server.output()));
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient log:\n" + clientLog + "\nserver log:\n" + server.output());
                if (profile == IspProfile.STRICT) {
                    assertEquals(0, lab.net.ispCounter("ct_invalid"), "packets conntrack found invalid");
                }
                if (!type.equals("udp")) {
                    assertTrue(startLine(clientLog).contains("learned from the kernel's own frame to 10.201.2.2:9"), clientLog);
                    assertTrue(startLine(server.output()).contains("next hops learned from each client's own frames"), server.output());
                }
            }
            server.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server");
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client");
            TreeSet<String> linuxOnly = linuxOnlyClassesLoaded(lab.work);
            assertTrue(linuxOnly.isEmpty(), () -> "the portable path loaded Linux-only classes: " + linuxOnly);
        }
    }

    /** The {@code packet path: ...} line of a run's log, or the whole log when there is none (then the check fails on it). */
    private static String startLine(String log) {
        return log.lines().filter(l -> l.contains("packet path: portable")).findFirst().orElse(log);
    }

    /** Every {@link LinuxOnly} class (or a class nested in one) the JVMs of this lab loaded, by their class-load logs. */
    static TreeSet<String> linuxOnlyClassesLoaded(Path work) throws IOException, ClassNotFoundException {
        TreeSet<String> found = new TreeSet<>();
        int logs = 0;
        try (var files = Files.list(work)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("classes-")).toList()) {
                logs++;
                for (String line : Files.readAllLines(log)) {
                    Matcher m = LOADED.matcher(line);
                    if (m.find() && m.group(1).startsWith("io.rsock.") && isLinuxOnly(m.group(1))) {
                        found.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(logs >= 2, "expected the class-load logs of the client and the server in " + work + ", found " + logs);
        return found;
    }

    private static boolean isLinuxOnly(String name) throws ClassNotFoundException {
        String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        try {
            return Class.forName(outer, false, PortableIT.class.getClassLoader()).isAnnotationPresent(LinuxOnly.class);
        } catch (ClassNotFoundException e) {
            return false; // a plugin's class: plugins see only rsock-api, which has no Linux-only code
        }
    }
}
