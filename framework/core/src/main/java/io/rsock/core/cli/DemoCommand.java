package io.rsock.core.cli;

import io.rsock.core.Main;
import io.rsock.core.config.UsageException;
import io.rsock.core.control.ControlClient;
import io.rsock.core.plugin.LoadedTransport;
import io.rsock.core.plugin.PluginLoader;
import io.rsock.core.plugin.TransportCatalog;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabException;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.netlab.UdpEcho;
import io.rsock.netlab.UdpProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rsock demo}: the first thing a new user runs. Builds the client–isp–server namespaces of
 * the test network on this machine, runs a UDP echo server behind the server, and for each ISP
 * profile sends a bounded burst of datagrams direct and through an {@code rsock client} →
 * {@code rsock server} pair of each loaded transport, and of {@code --type all} when there are
 * several; prints what arrived. Everything it started is torn down at the end, also on Ctrl-C (the
 * lab's shutdown hook).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show rsock at work on this machine (needs root): builds a client-isp-server network of namespaces,",
            "sends a bounded burst of UDP direct and through each transport under each ISP profile, prints a table,",
            "and removes everything."})
public final class DemoCommand implements Callable<Integer> {
    private static final int ECHO_PORT = 9999;
    private static final int APP_PORT = 30000;

    @Spec
    CommandSpec spec;

    @Option(names = "--count", defaultValue = "2000", description = "Datagrams per burst. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--size", defaultValue = "1200", description = "Datagram size in bytes. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--rate", defaultValue = "5000", description = "Datagrams per second offered. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--profiles", split = ",", defaultValue = "open,throttle,strict",
            description = {"ISP profiles to try: open, throttle (UDP policed to 2 Mbit/s), strict (UDP dropped, NAT,",
                "strict conntrack), udp_blocked, udp_large_dropped (UDP over 1 000 B dropped), rst_forged (forged RSTs",
                "for one TCP packet in 4 000), udp_blackout (UDP dropped for 4 s, then healed). Default: ${DEFAULT-VALUE}."})
    List<String> profiles;

    @Option(names = "--types", split = ",",
            description = "Transports to try, 'all' for every one in one pool. Default: every loaded one, then all.")
    List<String> types;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugin folder. Default: plugins/ of the installation.")
    Path plugins;

    @Option(names = "--ipv6", description = "Over IPv6: the client dials the server's IPv6 address (the lab is dual-stack; "
            + "its ISP profiles hold for IPv6 too, NAT66 included).")
    boolean ipv6;

    private PrintWriter out;
    private Path workDir;
    private Path secretFile;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        String reason = TestNetwork.unavailableReason();
        if (reason != null) {
            throw new StartupException(reason);
        }
        if (count < 1 || count > 1_000_000 || size < 20 || size > 1400 || rate < 1 || rate > 200_000) {
            throw new UsageException("--count 1..1000000, --size 20..1400, --rate 1..200000");
        }
        List<IspProfile> chosen = new ArrayList<>();
        for (String p : profiles) {
            try {
                chosen.add(IspProfile.of(p));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--profiles: unknown profile '" + p + "' (" + profileLabels() + ")");
            }
        }
        List<String> transports = transports();
        workDir = Files.createTempDirectory("rsock-demo-");
        secretFile = workDir.resolve("secret");
        Files.writeString(secretFile, HexFormat.of().formatHex(new SecureRandom().generateSeed(16)) + "\n");
        out.printf("rsock demo: %d datagrams of %d B at %d/s, per ISP profile, direct and through rsock (%s)%s%n", count, size, rate,
                String.join(", ", transports), ipv6 ? ", over IPv6" : "");
        out.printf("%-17s %-12s %10s %10s %10s %10s  %s%n", "PROFILE", "PATH", "DELIVERED", "MBIT/S", "P50 MS", "P99 MS", "NOTE");
        out.flush();
        try (TestNetwork net = TestNetwork.create(chosen.get(0), workDir)) {
            UdpEcho.start(net, Side.SERVER, "echo", ECHO_PORT, 1800);
            for (IspProfile profile : chosen) {
                net.setProfile(profile); // again before each measured burst: a profile with a timetable starts then
                row(profile, "direct UDP", probe(net, ipv6 ? "[" + TestNetwork.SERVER_ADDRESS6 + "]:" + ECHO_PORT
                        : TestNetwork.SERVER_ADDRESS + ":" + ECHO_PORT), "");
                for (String type : transports) {
                    throughTunnel(net, profile, type);
                }
            }
        } catch (LabException e) {
            throw new StartupException(e.getMessage() + " (logs in " + workDir + ")");
        }
        out.println("Namespaces and processes removed. Logs of this run: " + workDir);
        out.println("Under 'throttle' the ISP polices UDP to 2 Mbit/s; under 'strict' it drops UDP, NATs the client and drops");
        out.println("what conntrack finds invalid; 'rsock all' runs every transport in one pool, weighed by what each delivers.");
        out.println("Run 'rsock demo --help' for the knobs and more profiles, README.md for what the figures mean.");
        out.flush();
        return 0;
    }

    private List<String> transports() throws StartupException {
        try (PluginLoader loader = PluginLoader.load(Install.pluginsFolder(plugins))) {
            List<String> loaded = loader.catalog().all().stream().map(LoadedTransport::type).toList();
            if (loaded.isEmpty()) {
                throw new StartupException("no transport plugins in " + loader.folder().toAbsolutePath().normalize());
            }
            if (types == null) {
                List<String> all = new ArrayList<>(loaded);
                if (loader.catalog().all().stream().filter(t -> !t.transport().optIn()).count() > 1) {
                    all.add(TransportCatalog.ALL);
                }
                return all;
            }
            for (String t : types) {
                if (!loaded.contains(t) && !t.equals(TransportCatalog.ALL)) {
                    throw new UsageException("--types: no transport '" + t + "' (loaded: "
                            + String.join(", ", loaded) + ")");
                }
            }
            return types;
        }
    }

    /** Waits up to a minute until the run of {@code process} answers on its control socket. */
    private static void awaitControl(Path socket, LabProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                ControlClient.status(socket);
                return;
            } catch (IOException | RuntimeException e) {
                Thread.sleep(100); // not listening yet
            }
        }
    }

    private void throughTunnel(TestNetwork net, IspProfile profile, String type) throws Exception {
        String name = profile.label() + "-" + type;
        Path clientSocket = workDir.resolve(name + "-client.sock");
        LabProcess server = net.start(Side.SERVER, name + "-server", rsock("server", "-t", "127.0.0.1:" + ECHO_PORT,
                "--type", type, "-p", "10001-10004", "--unPath", workDir.resolve(name + "-server.sock").toString()));
        LabProcess client = net.start(Side.CLIENT, name + "-client", rsock("client", "-t",
                ipv6 ? TestNetwork.SERVER_ADDRESS6 : TestNetwork.SERVER_ADDRESS,
                "-l", "127.0.0.1:" + APP_PORT, "--type", type, "-p", "10001-10004", "--unPath", clientSocket.toString()));
        try {
            // Both JVMs up first (seconds on a busy machine), then the tunnel's own time to answer.
            awaitControl(workDir.resolve(name + "-server.sock"), server);
            awaitControl(clientSocket, client);
            String note = ControlClient.awaitServerAnswer(clientSocket, 6000, client::isAlive) ? "" : "server never answered";
            if (!server.isAlive() || !client.isAlive()) {
                row(profile, "rsock " + type, null, "did not start, see " + (server.isAlive() ? client : server).log());
                return;
            }
            // An uncounted burst first, so the figures measure rsock's compiled hot path, not the JIT.
            probe(net, "127.0.0.1:" + APP_PORT);
            net.setProfile(profile);
            row(profile, "rsock " + type, probe(net, "127.0.0.1:" + APP_PORT), note);
        } finally {
            client.stop(5000);
            server.stop(5000);
        }
    }

    private List<String> rsock(String role, String... args) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(Main.class.getName()));
        cmd.add(role);
        cmd.addAll(List.of(args));
        // The secret from a file keeps it off the command line, as a user should.
        cmd.addAll(List.of("--log", workDir.toString(), "--hash-file", secretFile.toString()));
        return cmd;
    }

    private static String profileLabels() {
        return String.join(", ", Arrays.stream(IspProfile.values()).map(IspProfile::label).toList());
    }

    private ProbeResult probe(TestNetwork net, String target) {
        return UdpProbe.run(net, Side.CLIENT, target, count, size, rate, 1, 1000);
    }

    private void row(IspProfile profile, String path, ProbeResult r, String note) {
        if (r == null) {
            out.printf("%-17s %-12s %10s %10s %10s %10s  %s%n", profile.label(), path, "-", "-", "-", "-", note);
        } else {
            String damage = r.clean() ? "" : r.corrupt() + " corrupt, " + r.misrouted() + " misrouted ";
            out.printf(Locale.ROOT, "%-17s %-12s %9.1f%% %10.2f %10s %10s  %s%n", profile.label(), path, r.deliveredPercent(), r.mbps(),
                    ms(r, r.p50Micros()), ms(r, r.p99Micros()), damage + note);
        }
        out.flush();
    }

    private static String ms(ProbeResult r, double micros) {
        return r.received() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", micros / 1000);
    }
}
