package io.rsock.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.core.control.ControlClient;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.KcptunTransfer;
import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TcpTransfer;
import io.rsock.netlab.TestNetwork;
import io.rsock.netlab.UdpEcho;
import io.rsock.netlab.UdpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test network with a UDP echo behind the server, and the unpacked installation's
 * {@code bin/rsock} to start tunnel ends in it: what every end-to-end test of the tarball builds on.
 */
final class RsockLab implements AutoCloseable {
    static final int ECHO_PORT = 9999;
    static final int APP_PORT = 30000;
    static final String PORTS = "10001-10004";
    static final int KCPTUN_PORT = 9998;
    /**
     * Datagrams per second of the correctness bursts: 48 Mbit/s of 1 200-byte datagrams, well below
     * what a quiet 2-core machine carries, so that these tests check integrity and loss, not speed
     * (bench/ measures speed). {@code -Drsock.it.rate=} to change it.
     */
    static final int RATE = Integer.getInteger("rsock.it.rate", 5000);

    final TestNetwork net;
    final Path work;
    /**
     * Where the control sockets go: a short directory of its own, since a client must fit a
     * socket's whole path in about 100 bytes and the work directory under a deep clone does not.
     */
    private final Path sockets;
    private final Path secret;
    private Path installation = install();
    private List<String> environment = List.of();
    private int runs;
    private Path serverSocket;
    /** The servers started so far: a client that never hears from one shows their logs. */
    private final List<LabProcess> servers = new ArrayList<>();

    private RsockLab(TestNetwork net, Path work, Path sockets, Path secret) {
        this.net = net;
        this.work = work;
        this.sockets = sockets;
        this.secret = secret;
    }

    /** The installation under test (failsafe sets {@code rsock.install} to distribution/target/rsock). */
    static Path install() {
        Path p = Paths.get(System.getProperty("rsock.install", "target/rsock"));
        if (!Files.isExecutable(p.resolve("bin/rsock"))) {
            throw new IllegalStateException("no installation at " + p.toAbsolutePath() + ": run mvn package first");
        }
        return p;
    }

    /** Skips the calling test, saying why, when the lab cannot be built here (fails instead under RSOCK_REQUIRE_NETNS=1). */
    static void assumeLab() {
        String reason = TestNetwork.unavailableReason();
        assumeTrue(reason == null, () -> "skipped, netns end-to-end test: " + reason);
    }

    /** Skips the calling test when {@code command} is not installed (fails instead under RSOCK_REQUIRE_NETNS=1). */
    static void assumeCommand(String command) {
        boolean present = Shell.hasCommand(command);
        if (!present && "1".equals(System.getenv(TestNetwork.REQUIRE_ENV))) {
            throw new IllegalStateException(command + " is not installed (scripts/install-deps.sh installs it)");
        }
        assumeTrue(present, () -> "skipped: " + command + " is not installed (scripts/install-deps.sh installs it)");
    }

    /** How long a test waits for a tunnel to start: JVM starts take 5-9 s each on the loaded CI machine. */
    static final long START_MS = 40_000;

    static RsockLab open(IspProfile profile, String name) throws IOException {
        Path work = Files.createDirectories(Paths.get(System.getProperty("rsock.work", "target/it-work")).toAbsolutePath()
                .resolve(name + "-" + System.currentTimeMillis()));
        Path secret = work.resolve("secret");
        Files.writeString(secret, "it-secret-" + System.nanoTime() + "\n");
        TestNetwork net = TestNetwork.create(profile, work); // a lab that fails to build leaves no socket directory
        Path sockets = Files.createTempDirectory("rsock-it-");
        RsockLab lab = new RsockLab(net, work, sockets, secret);
        UdpEcho.start(net, Side.SERVER, "echo", ECHO_PORT, 900);
        UdpEcho.start(net, Side.SERVER2, "echo2", ECHO_PORT, 900);
        return lab;
    }

    /** Runs {@code bin/rsock} of {@code other} (a copy with a third party's plugin, say) instead of the one under test. */
    RsockLab using(Path other) {
        this.installation = other;
        return this;
    }

    /** Runs the rsock processes started from now on with these {@code NAME=value} variables set (through env). */
    RsockLab withEnvironment(String... variables) {
        this.environment = List.of(variables);
        return this;
    }

    /**
     * A copy of the installation under test in {@code into}, as a user would unpack it, with the
     * jars {@code extraPlugins} dropped into its {@code plugins/}.
     */
    static Path installationWith(Path into, Path... extraPlugins) throws IOException {
        Shell.check(List.of("cp", "-a", install().toString(), into.toString()));
        for (Path jar : extraPlugins) {
            Files.copy(jar, into.resolve("plugins").resolve(jar.getFileName()));
        }
        return into;
    }

    /** {@code bin/rsock server -t 127.0.0.1:9999 --type <type> -p 10001-10004 ...} in the server namespace. */
    LabProcess server(String type, String... extra) {
        return serverTo(ECHO_PORT, type, extra);
    }

    /** {@code bin/rsock server -t 127.0.0.1:<targetPort> --type <type> ...} in the server namespace. */
    LabProcess serverTo(int targetPort, String type, String... extra) {
        serverSocket = sockets.resolve("server-" + type + "-" + (runs + 1) + ".sock");
        return started(rsock(Side.SERVER, "server-" + type, "server", concat(new String[] {"-t", "127.0.0.1:" + targetPort, "--type",
            type, "--unPath", serverSocket.toString()}, extra)));
    }

    /** {@code bin/rsock server} in the second server's namespace, relaying to its own echo. */
    LabProcess server2(String type, String... extra) {
        return started(rsock(Side.SERVER2, "server2-" + type, "server", concat(new String[] {"-t", "127.0.0.1:" + ECHO_PORT, "--type",
            type}, extra)));
    }

    private LabProcess started(LabProcess server) {
        servers.add(server);
        return server;
    }

    /** Each server's name, whether it still runs, and its log: what a failed start needs to be understood. */
    String serverLogs() {
        StringBuilder out = new StringBuilder();
        for (LabProcess p : servers) {
            out.append(p.name()).append(p.isAlive() ? " (running)" : " (exited)").append(":\n").append(p.output()).append('\n');
        }
        return out.toString();
    }

    /** The status tree of the client's run. */
    static Map<String, Object> status(Client client) throws IOException {
        return ControlClient.status(client.controlSocket());
    }

    /** Frames the client sent so far on its conns of {@code type} (null: of every transport). */
    static long framesSent(Client client, String type) throws IOException {
        long sum = 0;
        for (Object c : (List<?>) status(client).get("conns")) {
            Map<?, ?> m = (Map<?, ?>) c;
            if (type == null || type.equals(m.get("transport"))) {
                sum += ((Number) m.get("frames_sent")).longValue();
            }
        }
        return sum;
    }

    /** The control socket of the server started last. */
    Path serverSocket() {
        return serverSocket;
    }

    /** The status tree of the server started last. */
    Map<String, Object> serverStatus() throws IOException {
        return ControlClient.status(serverSocket);
    }

    /** The rsock rules (nftables tables, iptables and ip6tables chains) present in {@code side}'s namespace: empty after every clean exit. */
    String rsockRules(Side side) {
        StringBuilder found = new StringBuilder();
        Shell.Result nft = net.tryRun(side, "nft", "list", "ruleset");
        nft.out().lines().filter(l -> l.contains("rsock")).forEach(l -> found.append(l.strip()).append('\n'));
        for (String tool : List.of("iptables", "ip6tables")) {
            Shell.Result ipt = net.tryRun(side, tool, "-S");
            ipt.out().lines().filter(l -> l.contains("rsock")).forEach(l -> found.append(tool).append(": ").append(l.strip()).append('\n'));
        }
        return found.toString();
    }

    /** The whole text of every rsock nftables table in {@code side}'s namespace (the rules themselves), or "". */
    String rsockTables(Side side) {
        StringBuilder found = new StringBuilder();
        boolean inside = false;
        for (String l : net.tryRun(side, "nft", "list", "ruleset").out().split("\n")) {
            if (l.startsWith("table ")) {
                inside = l.contains("rsock");
            }
            if (inside) {
                found.append(l).append('\n');
            }
        }
        return found.toString();
    }

    /**
     * Real kcptun on top of the tunnel: {@code kcptun-client} (client namespace, TCP 127.0.0.1:12000,
     * its UDP into rsock's {@code -l}) to {@code kcptun-server} (server namespace, UDP :{@value #KCPTUN_PORT}, the
     * rsock server's target) to a TCP sink; a source sends {@code bytes} through it. Start the rsock
     * server with {@code serverTo(KCPTUN_PORT, ...)} first. Returns what the sink and the source saw.
     */
    KcptunTransfer.Result kcptunTransfer(long bytes, int seconds) throws InterruptedException {
        return KcptunTransfer.run(net, "127.0.0.1:" + APP_PORT, KCPTUN_PORT, bytes, seconds, "");
    }

    /** {@code bin/rsock client -t 10.201.2.2 -l 127.0.0.1:30000 --type <type> ...} in the client namespace. */
    Client client(String type, String... extra) {
        String name = "client-" + type;
        Path socket = sockets.resolve(name + "-" + (runs + 1) + ".sock");
        LabProcess p = rsock(Side.CLIENT, name, "client", concat(new String[] {"-t", TestNetwork.SERVER_ADDRESS, "-l",
            "127.0.0.1:" + APP_PORT, "--type", type, "--unPath", socket.toString()}, extra));
        return new Client(p, socket, this);
    }

    private LabProcess rsock(Side side, String name, String role, String... args) {
        List<String> cmd = new ArrayList<>();
        if (!environment.isEmpty()) {
            cmd.add("env");
            cmd.addAll(environment);
        }
        cmd.addAll(List.of(installation.resolve("bin/rsock").toString(), role));
        // The lab's defaults first: a test's own flags, later on the line, override them. With a
        // config file (-f) the ports are the file's: flags on the line would override it.
        if (!Arrays.asList(args).contains("-f")) {
            cmd.addAll(List.of("-p", PORTS));
        }
        cmd.addAll(List.of("--hash-file", secret.toString(), "--log", work.toString()));
        cmd.addAll(Arrays.asList(args));
        return net.start(side, name + "-" + (++runs), cmd);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Runs the probe in the client namespace towards {@code target} and returns what it measured. */
    ProbeResult probe(String target, int count, int size, int rate, int flows) {
        return UdpProbe.run(net, Side.CLIENT, target, count, size, rate, flows, 2000);
    }

    /** Through the tunnel: the probe sends to the client's {@code -l}. */
    ProbeResult probeTunnel(int count, int size, int rate, int flows) {
        return probe("127.0.0.1:" + APP_PORT, count, size, rate, flows);
    }

    /** Straight to the echo, no tunnel: the baseline of the same run. */
    ProbeResult probeDirect(int count, int size, int rate, int flows) {
        return probe(TestNetwork.SERVER_ADDRESS + ":" + ECHO_PORT, count, size, rate, flows);
    }

    /** tcpdump on {@code iface} of {@code side}'s namespace into {@code pcap}, running once this returns. */
    LabProcess capture(Side side, String iface, Path pcap, String filter) throws InterruptedException {
        LabProcess p = net.start(side, "tcpdump-" + pcap.getFileName(), List.of("tcpdump", "-i", iface, "-n", "-U",
                "-s", "128", "-w", pcap.toString(), filter));
        Thread.sleep(1500); // listening
        return p;
    }

    /** {@link PacketFlood} with {@code args} in {@code side}'s namespace. */
    LabProcess flood(Side side, String name, String... args) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(PacketFlood.class.getName()));
        cmd.addAll(List.of(args));
        return net.start(side, name, cmd);
    }

    @Override
    public void close() {
        try {
            net.close();
        } finally {
            try (Stream<Path> left = Files.walk(sockets)) {
                for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p); // sockets of ends the close killed
                }
            } catch (IOException e) {
                System.err.println("could not remove " + sockets + ": " + e);
            }
        }
    }

    /** A running {@code rsock client} and its control socket. */
    record Client(LabProcess process, Path controlSocket, RsockLab lab) implements AutoCloseable {
        /**
         * Waits until the server answered one of its conns, as long as two JVMs may take to start on
         * a loaded 2-core machine (seconds each); returns at once when they are quick.
         */
        Client awaitServer() throws InterruptedException {
            return awaitServer(START_MS);
        }

        /** Waits (bounded) until the server answered one of its conns; fails with the client's log if not. */
        Client awaitServer(long millis) throws InterruptedException {
            if (!ControlClient.awaitServerAnswer(controlSocket, millis, process::isAlive)) {
                throw new AssertionError("the server never answered the client within " + millis + " ms; client log:\n"
                        + process.output() + "\n" + lab.serverLogs());
            }
            return this;
        }

        /**
         * Sends a short uncounted burst through the tunnel so both JVMs have compiled their hot path
         * before a measurement (a cold JIT would measure the compiler, not rsock).
         */
        Client warmUp(RsockLab lab) {
            lab.probeTunnel(5000, 1200, 5000, 4);
            return this;
        }

        @Override
        public void close() {
            process.stop(5000);
        }
    }
}
