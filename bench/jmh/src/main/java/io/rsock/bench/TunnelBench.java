package io.rsock.bench;

import io.rsock.core.control.ControlClient;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.KcptunTransfer;
import io.rsock.netlab.LabException;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.netlab.UdpEcho;
import io.rsock.netlab.UdpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end benchmark ({@code bench/tunnel-bench.sh}): builds the test network, and in one run
 * measures plain UDP and every transport through the installed {@code bin/rsock}, with the same
 * paced probe and echo, and writes a table and a CSV with the ratios to plain UDP.
 *
 * <p>Per path and packet size: the highest offered rate with &lt;1 % loss (doubling, then
 * bisecting), the Mbit/s delivered at one offered rate above that (the same for every path of a
 * size), the p50/p99 round trip at 2 000/s, the CPU seconds per GB (app bytes, both directions) of
 * each rsock process while it carries its loss-free rate, and the server's RSS with 1, 100 and 1 000
 * (full mode: 10 000) app flows. Also iperf3's one-way UDP ceiling (the load generator check) and
 * kcptun direct under {@code open} against kcptun over rsock fake TCP under {@code throttle}.
 *
 * <p>The {@code relay} path (with {@code --udprelay}, bench/native/udprelay.c) puts a native relay pair where
 * rsock runs: the same two extra hops through the kernel with every call batched and nothing else.
 * It is the floor no user-space relay goes below on this machine, so it splits what rsock costs
 * from what relaying costs.
 */
public final class TunnelBench {
    static final int ECHO_PORT = 9999;
    static final int APP_PORT = 30000;
    static final int KCPTUN_PORT = 9998;
    static final int RELAY_PORT = 20000;
    static final String RELAY_ROW = "relay floor (native C)";
    static final String PORTS = "10001-10004";
    static final int MAX_RATE = 400_000;

    private final Path install;
    private final Path work;
    private final boolean quick;
    private final int[] sizes;
    private final List<String> paths;
    private final double seconds;
    private final boolean kcptun;
    /** The GRO off/on runs of fake TCP ({@code --no-gro} leaves them out). */
    private final boolean gro;
    /** The every-core runs ({@code --no-cores} leaves them out). */
    private final boolean cores;
    /** The native probe and echo (bench/native/udpblast.c), or null for the Java ones of netlab. */
    private final Path udpblast;
    /** The native relay pair (bench/native/udprelay.c), or null when there was no C compiler. */
    private final Path udprelay;
    private final Path secret;
    private TestNetwork net;
    private int runs;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private Path clientSock;
    private Path serverSock;
    /** Trials of the current (path, size): each offered rate is probed once for both searches. */
    private final Map<Integer, ProbeResult> trials = new LinkedHashMap<>();
    /** Per tunnel path: the cold tail (tunnel started 5 s before) against direct, and the GC pauses. */
    private final List<TailRow> tails = new ArrayList<>();
    private final List<String> gcRows = new ArrayList<>();
    private final List<String> extraRows = new ArrayList<>();
    /** When the rsock processes of the current path started, for their GC logs' uptime. */
    private long pathStartNanos;
    /** When the first trial of the current path began: GC pauses after it happened under traffic. */
    private long trafficStartNanos;
    /** The largest capture ring any rsock process mapped in the GRO runs, in MiB. */
    private double maxRingMiB = -1;
    /** Every core against one, per role. */
    private final Map<String, Double> coreRatios = new LinkedHashMap<>();
    static final int FLOWS = 4;
    /** The longest GC pause under traffic of any rsock process of the path runs. */
    private double maxGcPauseMillis;

    /** One (path, size) measured. */
    static final class Row {
        String path;
        int size;
        double lossFreePps;
        double lossFreeMbps;
        double offeredPps;
        double deliveredMbps;
        double deliveredPct;
        double p50;
        double p99;
        double clientCpuPerGb = Double.NaN;
        double serverCpuPerGb = Double.NaN;
        /** Highest offered rate with < 1 % loss and p99 <= 5 ms. */
        double usablePps;
        final Map<Integer, Double> rssMb = new LinkedHashMap<>();
        String note = "";
    }

    private TunnelBench(Map<String, String> a) throws IOException {
        install = Paths.get(a.getOrDefault("--install", "distribution/target/rsock")).toAbsolutePath();
        if (!Files.isExecutable(install.resolve("bin/rsock"))) {
            throw new IllegalArgumentException("no installation at " + install + " (mvn -B -q package -DskipTests first)");
        }
        quick = a.containsKey("--quick");
        sizes = Arrays.stream(a.getOrDefault("--sizes", quick ? "1200" : "64,512,1200").split(","))
                .mapToInt(Integer::parseInt).toArray();
        String defaultPaths = "direct" + (a.containsKey("--udprelay") ? ",relay" : "") + ",udp,tcp" + (hasIcmp() ? ",icmp" : "") + (quick ? "" : ",all");
        paths = List.of(a.getOrDefault("--paths", defaultPaths).split(","));
        seconds = Double.parseDouble(a.getOrDefault("--seconds", quick ? "1" : "3"));
        kcptun = !a.containsKey("--no-kcptun");
        gro = !a.containsKey("--no-gro");
        cores = !a.containsKey("--no-cores");
        udpblast = a.containsKey("--udpblast") && Files.isExecutable(Paths.get(a.get("--udpblast")))
                ? Paths.get(a.get("--udpblast")).toAbsolutePath() : null;
        udprelay = a.containsKey("--udprelay") && Files.isExecutable(Paths.get(a.get("--udprelay")))
                ? Paths.get(a.get("--udprelay")).toAbsolutePath() : null;
        work = Files.createDirectories(Paths.get(a.getOrDefault("--work", "/tmp")).toAbsolutePath()
                .resolve("rsock-bench-" + System.currentTimeMillis()));
        secret = work.resolve("secret");
        Files.writeString(secret, "bench-" + System.nanoTime() + "\n");
    }

    /** Whether the installation loads a transport of type icmp ({@code rsock plugins}), not just holds a jar. */
    private boolean hasIcmp() {
        Shell.Result r = Shell.run(List.of(install.resolve("bin/rsock").toString(), "plugins"));
        return r.ok() && r.out().lines().anyMatch(l -> l.matches("(?i)^\\s*icmp\\b.*|.*\\btype[ =:]+icmp\\b.*"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                a.put(args[i], args[++i]);
            } else {
                a.put(args[i], "");
            }
        }
        if (a.containsKey("--help")) {
            System.out.println("TunnelBench [--quick] [--install DIR] [--sizes 64,512,1200] [--paths direct,udp,tcp,icmp,all,tcp+aes-gcm,tcp+chacha20-poly1305] "
                    + "[--seconds S] [--out DIR] [--no-kcptun] [--no-gro] [--no-cores] [--work DIR] [--udpblast PATH] [--udprelay PATH]");
            return;
        }
        String reason = TestNetwork.unavailableReason();
        if (reason != null) {
            System.err.println("tunnel-bench: " + reason);
            System.exit(1);
        }
        TunnelBench b = new TunnelBench(a);
        long t0 = System.nanoTime();
        try {
            b.run();
        } finally {
            if (b.net != null) {
                b.net.close();
            }
        }
        Path out = Paths.get(a.getOrDefault("--out", "bench/results"));
        b.report(out, (System.nanoTime() - t0) / 1e9);
    }

    private void run() throws Exception {
        net = TestNetwork.create(IspProfile.OPEN, work);
        log("load generator: " + (udpblast != null ? "native udpblast (recvmmsg/sendmmsg) for single-flow runs, netlab's "
                + "UdpProbe for many flows" : "netlab's Java UdpProbe and UdpEcho, threads of this JVM (no --udpblast)"));
        if (udpblast != null) {
            net.start(Side.SERVER, "echo", List.of(udpblast.toString(), "echo", "--port", "" + ECHO_PORT, "--seconds", "3600"));
            Thread.sleep(800);
        } else {
            UdpEcho.start(net, Side.SERVER, "echo", ECHO_PORT, 3600);
        }
        log("machine: " + machine());
        log("rsock JVM options: " + Files.readAllLines(install.resolve("bin/rsock")).stream()
                .filter(l -> l.startsWith("DEFAULT_OPTS=")).findFirst().orElse("?") + "  RSOCK_OPTS="
                + System.getenv().getOrDefault("RSOCK_OPTS", ""));
        generatorCeiling();
        Map<Integer, Double> overload = new LinkedHashMap<>();
        for (String path : paths) {
            LabProcess server = null;
            LabProcess client = null;
            try {
                if (path.equals("relay")) {
                    if (udprelay == null) {
                        notes.add("relay: left out, bench/native/udprelay.c was not built (no C compiler)");
                        continue;
                    }
                    server = net.start(Side.SERVER, "relay-server", List.of(udprelay.toString(), "server", "" + RELAY_PORT,
                            "127.0.0.1", "" + ECHO_PORT));
                    client = net.start(Side.CLIENT, "relay-client", List.of(udprelay.toString(), "client", "" + APP_PORT,
                            TestNetwork.SERVER_ADDRESS, "" + RELAY_PORT));
                    pathStartNanos = System.nanoTime();
                    Thread.sleep(300);
                    coldTail(path);
                    probe(path, 20_000, 1200, 10_000, 1);
                } else if (!path.equals("direct")) {
                    serverSock = work.resolve("server-" + path + ".sock");
                    // "tcp+aes-gcm": the transport, then the --crypt of both ends (what encryption costs).
                    String[] typeAndCrypt = path.split("\\+", 2);
                    String crypt = typeAndCrypt.length > 1 ? typeAndCrypt[1] : "none";
                    pathStartNanos = System.nanoTime();
                    server = rsock(Side.SERVER, "server", "-t", "127.0.0.1:" + ECHO_PORT, "--type", typeAndCrypt[0], "--crypt", crypt,
                            "--unPath", serverSock.toString());
                    Path sock = work.resolve("client-" + path + ".sock");
                    clientSock = sock;
                    client = rsock(Side.CLIENT, "client", "-t", TestNetwork.SERVER_ADDRESS, "-l", "127.0.0.1:" + APP_PORT,
                            "--type", typeAndCrypt[0], "--crypt", crypt, "--unPath", sock.toString());
                    LabProcess c = client;
                    if (!ControlClient.awaitServerAnswer(sock, 20_000, c::isAlive)) {
                        notes.add(path + ": the server never answered; client log " + c.log());
                        continue;
                    }
                    coldTail(path);
                    // JIT: both ends compile their hot path before the rates are measured.
                    probe(path, (int) (20_000 * Math.max(1, seconds)), 1200, 10_000, 4);
                } else {
                    probe(path, 20_000, 1200, 10_000, 1); // the echo's and the probe's JIT
                }
                for (int size : sizes) {
                    Row r = new Row();
                    r.path = path.equals("direct") ? "direct UDP" : path.equals("relay") ? RELAY_ROW : "rsock " + path;
                    r.size = size;
                    measure(r, path, size, server, client, overload);
                    rows.add(r);
                }
                if (server != null && !path.equals("relay")) { // the relay carries one flow
                    Row first = rows.get(rows.size() - sizes.length);
                    int[] flows = quick ? new int[] {1000} : new int[] {1, 100, 1000, 10_000};
                    for (int n : flows) {
                        ProbeResult p = probe(path, Math.max(2 * n, 2000), 256, 5000, n);
                        first.rssMb.put(n, rssMb(server.pid()));
                        if (n == 1000) {
                            notes.add(first.path + " server RSS by mapping with 1000 flows: " + rssByMapping(server.pid()));
                        }
                        if (p.deliveredPercent() < 99) {
                            first.note += String.format(Locale.ROOT, " %d flows: %.1f%% delivered;", n, p.deliveredPercent());
                        }
                    }
                }
                if (server != null && !path.equals("relay")) {
                    GcPauses gs = gcPauses(server, trafficStartNanos);
                    GcPauses gc = gcPauses(client, trafficStartNanos);
                    maxGcPauseMillis = Math.max(maxGcPauseMillis, Math.max(gs.maxMillisAfter(), gc.maxMillisAfter()));
                    gcRows.add(String.format(Locale.ROOT, "%-8s server: %s; client: %s", path, gs, gc));
                }
            } finally {
                if (client != null) {
                    client.stop(5000);
                }
                if (server != null) {
                    server.stop(5000);
                }
            }
        }
        if (paths.contains("tcp") && gro) {
            captureWithGro();
        }
        if (paths.contains("tcp") && cores) {
            everyCore();
        }
        if (kcptun) {
            kcptun();
        }
    }

    private void measure(Row r, String path, int size, LabProcess server, LabProcess client, Map<Integer, Double> overload) {
        // Highest loss-free rate (< 1 % lost) and highest usable rate (also p99 <= 5 ms): double from
        // 5 000/s, then bisect; both searches share one set of trials.
        trials.clear();
        int steps = quick ? 3 : 4;
        int good = RateSearch.highest(rate -> lossFree(path, size, rate), 5000, MAX_RATE, 500, steps);
        r.usablePps = RateSearch.highest(rate -> usable(path, size, rate), 5000, MAX_RATE, 500, steps);
        if (good > MAX_RATE / 2) {
            r.note += " probe limit " + MAX_RATE + "/s reached;";
        }
        r.lossFreePps = good;
        r.lossFreeMbps = good * (double) size * 8 / 1e6;
        // CPU per GB while carrying the loss-free rate (a longer run, measured from /proc).
        if (good > 0) {
            long[] c0 = cpuTicks(client);
            long[] s0 = cpuTicks(server);
            ProbeResult p = probe(path, (int) (good * seconds * 2), size, good, 1);
            double gb = p.received() * (double) size * 2 / 1e9; // there and back through the tunnel
            if (client != null && gb > 0) {
                long[] c1 = cpuTicks(client);
                long[] s1 = cpuTicks(server);
                r.clientCpuPerGb = (c1[0] - c0[0]) / 100.0 / gb;
                r.serverCpuPerGb = (s1[0] - s0[0]) / 100.0 / gb;
                notes.add(String.format(Locale.ROOT, "%s %d B: share of CPU spent in the kernel (stime): client %.0f%%, server %.0f%%",
                        r.path, size, 100.0 * (c1[1] - c0[1]) / Math.max(1, c1[0] - c0[0]),
                        100.0 * (s1[1] - s0[1]) / Math.max(1, s1[0] - s0[0])));
            }
        }
        // Delivered at one offered rate above the loss-free rates: 1.5 x plain UDP's, the same for every path.
        int offered = (int) Math.min(MAX_RATE, overload.computeIfAbsent(size, s -> Math.max(10_000.0, 1.5 * r.lossFreePps)));
        ProbeResult o = probe(path, (int) (offered * seconds), size, offered, 1);
        r.offeredPps = offered;
        r.deliveredMbps = o.mbps();
        r.deliveredPct = o.deliveredPercent();
        if (client != null && !path.equals("relay")) {
            String drops = "client " + drops(clientSock) + "; server " + drops(serverSock);
            notes.add(r.path + " " + size + " B: after the overload run, " + drops);
        }
        // Round trip at a low rate.
        ProbeResult l = probe(path, (int) (2000 * Math.max(1, seconds)), size, 2000, 1);
        r.p50 = l.p50Micros();
        r.p99 = l.p99Micros();
        log(String.format(Locale.ROOT, "%-12s %5d B: loss-free %7.0f/s, at %d/s %.1f%% delivered, p50 %.0f us", r.path, size,
                r.lossFreePps, offered, r.deliveredPct, r.p50));
    }

    /**
     * The numbers of a run's status that say where datagrams went missing (drops, failures, full
     * windows): the counters and any nested section, such as the capture's kernel_drops.
     */
    private static String drops(Path sock) {
        try {
            StringBuilder b = new StringBuilder();
            collectDrops("", ControlClient.status(sock), b);
            return b.length() == 0 ? "no drops counted" : b.toString().strip();
        } catch (IOException | RuntimeException e) {
            return "status unavailable (" + e.getMessage() + ")";
        }
    }

    private static void collectDrops(String prefix, Object node, StringBuilder out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                String name = prefix.isEmpty() || prefix.equals("counters.") ? k.toString() : prefix + k;
                if (v instanceof Number n) {
                    if (name.matches(".*(drop|fail|full|error|no_|overflow|lost|bad|replay|unknown|too_large).*")
                            && n.longValue() > 0) {
                        out.append(name).append('=').append(v).append(' ');
                    }
                } else {
                    collectDrops(name + ".", v, out);
                }
            });
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                collectDrops(prefix, o, out);
            }
        }
    }

    /**
     * The round trip the tunnel adds at 2 000/s and 20 000/s, 1 200 B, from a tunnel started 5 s
     * before and not warmed up: each tunnel trial follows a direct one of the same rate.
     */
    private void coldTail(String path) throws InterruptedException {
        long wait = pathStartNanos + 5_000_000_000L - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
        trafficStartNanos = System.nanoTime();
        for (int rate : new int[] {2000, 20_000}) {
            int count = rate == 2000 ? 4000 : (int) (rate * Math.max(1, seconds));
            ProbeResult direct = probe("direct", count, 1200, rate, 1);
            ProbeResult tunnel = probe(path, count, 1200, rate, 1);
            TailRow t = new TailRow(path, rate, direct, tunnel);
            tails.add(t);
            log("cold tail " + t.line());
        }
    }

    /**
     * Fake TCP, 1 200 B, with GRO off and then on on both ends' devices: the capture ring each end
     * maps, the RSS, the loss of a tunnel that starts straight into 10 000/s, and the usable rate.
     */
    private void captureWithGro() throws Exception {
        String before = net.tryRun(Side.SERVER, "ethtool", "-k", "s0").out();
        String restore = before.contains("generic-receive-offload: on") ? "on" : "off";
        try {
            for (String gro : new String[] {"off", "on"}) {
                Shell.Result set = net.tryRun(Side.CLIENT, "ethtool", "-K", "c0", "gro", gro);
                Shell.Result set2 = net.tryRun(Side.SERVER, "ethtool", "-K", "s0", "gro", gro);
                if (!set.ok() || !set2.ok()) {
                    notes.add("GRO " + gro + ": ethtool -K failed (" + (set.out() + set2.out()).strip() + "): no GRO rows");
                    return;
                }
                groRun(gro);
            }
        } finally {
            net.tryRun(Side.CLIENT, "ethtool", "-K", "c0", "gro", restore);
            net.tryRun(Side.SERVER, "ethtool", "-K", "s0", "gro", restore);
        }
    }

    private void groRun(String gro) throws Exception {
        pathStartNanos = System.nanoTime();
        serverSock = work.resolve("server-gro-" + gro + ".sock");
        clientSock = work.resolve("client-gro-" + gro + ".sock");
        LabProcess server = rsock(Side.SERVER, "server", "-t", "127.0.0.1:" + ECHO_PORT, "--type", "tcp", "--unPath",
                serverSock.toString());
        LabProcess client = rsock(Side.CLIENT, "client", "-t", TestNetwork.SERVER_ADDRESS, "-l", "127.0.0.1:" + APP_PORT,
                "--type", "tcp", "--unPath", clientSock.toString());
        try {
            if (!ControlClient.awaitServerAnswer(clientSock, 20_000, client::isAlive)) {
                notes.add("GRO " + gro + ": the server never answered; client log " + client.log());
                return;
            }
            ProbeResult cold = probe("tcp", 20_000, 1200, 10_000, 1);
            double[] serverRing = captureRingMiB(server.pid());
            double[] clientRing = captureRingMiB(client.pid());
            Row r = new Row();
            r.path = "rsock tcp, GRO " + gro;
            r.size = 1200;
            trials.clear();
            r.usablePps = RateSearch.highest(rate -> usable("tcp", 1200, rate), 5000, MAX_RATE, 500, quick ? 3 : 4);
            r.lossFreePps = RateSearch.highest(rate -> lossFree("tcp", 1200, rate), 5000, MAX_RATE, 500, quick ? 3 : 4);
            r.lossFreeMbps = r.lossFreePps * 1200 * 8 / 1e6;
            r.note = "capture ring mapped: server " + f(serverRing[0], "%.0f") + " MiB, client " + f(clientRing[0], "%.0f") + " MiB;";
            rows.add(r);
            maxRingMiB = Math.max(maxRingMiB, Math.max(serverRing[0], clientRing[0]));
            extraRows.add(String.format(Locale.ROOT, "GRO %-3s: capture ring mapped (resident) server %s (%s) MiB, client %s (%s) MiB; "
                    + "RSS server %.0f MB, client %.0f MB; a tunnel started into 10 000/s lost %.2f%% of 20 000; usable %.0f/s, "
                    + "loss-free %.0f/s; counters: client %s; server %s", gro, f(serverRing[0], "%.1f"), f(serverRing[1], "%.1f"),
                    f(clientRing[0], "%.1f"), f(clientRing[1], "%.1f"), rssMb(server.pid()), rssMb(client.pid()), cold.lossPercent(),
                    r.usablePps, r.lossFreePps, drops(clientSock), drops(serverSock)));
            log(extraRows.get(extraRows.size() - 1));
        } finally {
            client.stop(5000);
            server.stop(5000);
        }
    }

    /** The size and the resident part, in MiB, of the packet-socket mappings of {@code pid} (the capture ring). */
    private static double[] captureRingMiB(long pid) {
        double size = 0;
        double rss = 0;
        boolean socket = false;
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps"))) {
                if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    socket = l.contains("socket:") || l.contains("packet");
                } else if (socket && l.startsWith("Size:")) {
                    size += Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
                } else if (socket && l.startsWith("Rss:")) {
                    rss += Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {size, rss};
    }

    /**
     * Fake TCP, 1 200 B, usable rate summed over four flows: a server with four clients, then one
     * client with four app flows, each first on every core and then pinned to one ({@code taskset -c 0}).
     */
    private void everyCore() throws Exception {
        if (udpblast == null) {
            notes.add("every core: needs the native probe (a C compiler)");
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(FLOWS);
        try {
            for (String role : new String[] {"server with 4 clients", "client with 4 app flows"}) {
                double[] carried = new double[2];
                for (int pinned = 0; pinned < 2; pinned++) {
                    carried[pinned] = coreRun(pool, role.startsWith("server"), pinned == 1 ? "0" : null);
                }
                double ratio = ratio(carried[0], carried[1]);
                coreRatios.put(role, ratio);
                extraRows.add(String.format(Locale.ROOT, "every core, %s: usable %.0f/s on every core, %.0f/s pinned to one: %s x",
                        role, carried[0], carried[1], f(ratio, "%.2f")));
                log(extraRows.get(extraRows.size() - 1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private double coreRun(ExecutorService pool, boolean pinServer, String cpus) throws Exception {
        pathStartNanos = System.nanoTime();
        List<LabProcess> started = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        try {
            Path ss = work.resolve("server-core.sock");
            started.add(rsockOn(pinServer ? cpus : null, Side.SERVER, "server", "-t", "127.0.0.1:" + ECHO_PORT, "--type", "tcp",
                    "--unPath", ss.toString()));
            for (int i = 0; i < (pinServer ? FLOWS : 1); i++) {
                Path cs = work.resolve("client-core-" + i + ".sock");
                LabProcess c = rsockOn(pinServer ? null : cpus, Side.CLIENT, "client", "-t", TestNetwork.SERVER_ADDRESS, "-l",
                        "127.0.0.1:" + (APP_PORT + i), "--type", "tcp", "--unPath", cs.toString());
                started.add(c);
                if (!ControlClient.awaitServerAnswer(cs, 20_000, c::isAlive)) {
                    notes.add("every core: a client never reached the server; log " + c.log());
                    return Double.NaN;
                }
            }
            for (int i = 0; i < FLOWS; i++) {
                targets.add("127.0.0.1:" + (APP_PORT + (pinServer ? i : 0)));
            }
            parallelTrial(pool, targets, 8000); // JIT
            return RateSearch.highest(rate -> {
                ProbeResult[] r = parallelTrial(pool, targets, rate);
                long sent = 0;
                long received = 0;
                double p99 = 0;
                for (ProbeResult p : r) {
                    sent += p.sent();
                    received += p.received();
                    p99 = Math.max(p99, p.p99Micros());
                }
                double lost = sent == 0 ? 100 : 100.0 * (sent - received) / sent;
                log(String.format(Locale.ROOT, "  %s, %s, %d flows at %7d/s in all: %6.2f%% lost, p99 %6.0f us",
                        pinServer ? "server" : "client", cpus == null ? "every core" : "cpu " + cpus, FLOWS, rate, lost, p99));
                return lost < 1 && p99 <= USABLE_P99_MICROS;
            }, 5000, MAX_RATE, 500, quick ? 2 : 4);
        } finally {
            for (LabProcess p : started) {
                p.stop(5000);
            }
        }
    }

    /** One trial of {@code rate} in all, split evenly over one probe per target, run at once. */
    private ProbeResult[] parallelTrial(ExecutorService pool, List<String> targets, int rate) {
        int each = Math.max(1, rate / targets.size());
        List<Future<ProbeResult>> running = new ArrayList<>();
        for (String target : targets) {
            running.add(pool.submit(() -> probeTo("tcp", target, (int) Math.max(500, each * seconds), 1200, each, 1)));
        }
        ProbeResult[] out = new ProbeResult[running.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = running.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** The usable-rate bound on the round trip's 99th percentile. */
    static final double USABLE_P99_MICROS = 5000;

    private boolean lossFree(String path, int size, int rate) {
        ProbeResult p = trial(path, size, rate);
        return p.lossPercent() < 1.0 && p.clean();
    }

    private boolean usable(String path, int size, int rate) {
        return lossFree(path, size, rate) && trial(path, size, rate).p99Micros() <= USABLE_P99_MICROS;
    }

    /** One trial at {@code rate}, probed once per (path, size) however many searches ask for it. */
    private ProbeResult trial(String path, int size, int rate) {
        return trials.computeIfAbsent(rate, x -> {
            ProbeResult p = probe(path, (int) Math.max(1000, rate * seconds), size, rate, 1);
            log(String.format(Locale.ROOT, "  %-6s %5d B at %7d/s: %6.2f%% lost, p99 %6.0f us", path, size, rate, p.lossPercent(),
                    p.p99Micros()));
            return p;
        });
    }

    private ProbeResult probe(String path, int count, int size, int rate, int flows) {
        String target = path.equals("direct") ? TestNetwork.SERVER_ADDRESS + ":" + ECHO_PORT : "127.0.0.1:" + APP_PORT;
        return probeTo(path, target, count, size, rate, flows);
    }

    private ProbeResult probeTo(String path, String target, int count, int size, int rate, int flows) {
        if (udpblast == null || flows > 1) {
            try {
                return UdpProbe.run(net, Side.CLIENT, target, count, size, rate, flows, 500);
            } catch (LabException e) {
                return failedProbe(path, count, e.getMessage());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(udpblast.toString(), "probe"));
        cmd.addAll(List.of("--target", target, "--count", "" + count, "--size", "" + size, "--rate", "" + rate, "--wait-ms", "500"));
        Shell.Result res = Shell.run(net.inNamespace(Side.CLIENT, cmd));
        try {
            return ProbeResult.parse(res.out());
        } catch (RuntimeException e) {
            return failedProbe(path, count, res.out().lines().reduce((x, y) -> y).orElse(""));
        }
    }

    private ProbeResult failedProbe(String path, int count, String why) {
        notes.add(path + ": probe failed (" + why + ")");
        return new ProbeResult(count, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** iperf3's one-way UDP ceiling on the direct path: the load generator must reach past what it measures. */
    private void generatorCeiling() throws InterruptedException {
        if (!Shell.hasCommand("iperf3")) {
            notes.add("iperf3 not installed: no generator check");
            return;
        }
        for (int size : sizes) {
            LabProcess srv = net.start(Side.SERVER, "iperf3-s-" + size, List.of("iperf3", "-s", "-1", "-p", "5201"));
            Thread.sleep(400);
            Shell.Result r = Shell.run(net.inNamespace(Side.CLIENT, List.of("iperf3", "-c", TestNetwork.SERVER_ADDRESS, "-p",
                    "5201", "-u", "-b", "0", "-l", "" + size, "-t", "" + (int) Math.max(1, seconds * 2), "-J")));
            srv.stop(2000);
            Matcher bps = Pattern.compile("\"sum\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.e+]+)[^}]*?\"lost_percent\"\\s*:\\s*([0-9.e+-]+)",
                    Pattern.DOTALL).matcher(r.out());
            if (bps.find()) {
                double mbps = Double.parseDouble(bps.group(1)) / 1e6;
                double lost = Double.parseDouble(bps.group(2));
                Row row = new Row();
                row.path = "iperf3 direct 1-way unpaced";
                row.size = size;
                row.lossFreeMbps = mbps * (1 - lost / 100);
                row.lossFreePps = row.lossFreeMbps * 1e6 / 8 / size;
                row.note = String.format(Locale.ROOT, " iperf3 -b 0: %.1f%% lost;", lost);
                rows.add(row);
                log(String.format(Locale.ROOT, "iperf3 direct %d B: %.0f Mbit/s received (%.0f pkt/s), %.1f%% lost", size,
                        row.lossFreeMbps, row.lossFreePps, lost));
            } else {
                notes.add("iperf3 " + size + " B: no result");
            }
        }
    }

    private void kcptun() throws Exception {
        if (!Shell.hasCommand("kcptun-client") || !Shell.hasCommand("kcptun-server")) {
            notes.add("kcptun not installed: kcptun rows skipped");
            return;
        }
        long bytes = quick ? 48L << 20 : 256L << 20;
        int secs = quick ? 30 : 90;
        double direct = kcptunTransfer(TestNetwork.SERVER_ADDRESS + ":" + KCPTUN_PORT, bytes, secs, "direct");
        double relayed = udprelay == null ? Double.NaN : kcptunOverRelay(bytes, secs);
        net.setProfile(IspProfile.THROTTLE);
        Path serverKcpSock = work.resolve("server-kcp.sock");
        LabProcess server = rsock(Side.SERVER, "server-kcp", "-t", "127.0.0.1:" + KCPTUN_PORT, "--type", "tcp",
                "--unPath", serverKcpSock.toString());
        Path sock = work.resolve("client-kcp.sock");
        LabProcess client = rsock(Side.CLIENT, "client-kcp", "-t", TestNetwork.SERVER_ADDRESS, "-l", "127.0.0.1:" + APP_PORT,
                "--type", "tcp", "--unPath", sock.toString());
        double tunnel;
        try {
            ControlClient.awaitServerAnswer(sock, 20_000, client::isAlive);
            tunnel = kcptunTransfer("127.0.0.1:" + APP_PORT, bytes, secs, "rsock");
            notes.add("kcptun over rsock tcp: after the transfers, client " + drops(sock) + "; server " + drops(serverKcpSock));
        } finally {
            client.stop(5000);
            server.stop(5000);
            net.setProfile(IspProfile.OPEN);
        }
        Row d = new Row();
        d.path = "kcptun direct / open";
        d.lossFreeMbps = direct;
        Row t = new Row();
        t.path = "kcptun over rsock tcp / throttle";
        t.lossFreeMbps = tunnel;
        rows.add(d);
        if (!Double.isNaN(relayed)) {
            Row r = new Row();
            r.path = "kcptun over relay floor / open";
            r.lossFreeMbps = relayed;
            rows.add(r);
        }
        rows.add(t);
    }

    /** kcptun through the native relay pair under {@code open}: what any relay leaves kcptun on this machine. */
    private double kcptunOverRelay(long bytes, int secs) throws Exception {
        LabProcess server = net.start(Side.SERVER, "relay-kcp-server", List.of(udprelay.toString(), "server", "" + RELAY_PORT,
                "127.0.0.1", "" + KCPTUN_PORT));
        LabProcess client = net.start(Side.CLIENT, "relay-kcp-client", List.of(udprelay.toString(), "client", "" + APP_PORT,
                TestNetwork.SERVER_ADDRESS, "" + RELAY_PORT));
        try {
            Thread.sleep(300);
            return kcptunTransfer("127.0.0.1:" + APP_PORT, bytes, secs, "relay");
        } finally {
            client.stop(2000);
            server.stop(2000);
        }
    }

    /**
     * kcptun (large windows, no crypto) from the client namespace to a TCP sink; returns Mbit/s, 0 if
     * incomplete. A first, shorter transfer warms the path up and is not counted: a fresh rsock pair
     * would otherwise spend the first of the few seconds measured compiling its hot path.
     */
    private double kcptunTransfer(String remote, long bytes, int secs, String tag) throws Exception {
        KcptunTransfer.run(net, remote, KCPTUN_PORT, bytes / 2, secs, "-" + tag + "-warmup");
        KcptunTransfer.Result r = KcptunTransfer.run(net, remote, KCPTUN_PORT, bytes, secs, "-" + tag);
        boolean intact = r.intact();
        double mbps = intact ? r.mbps(bytes) : 0;
        log(String.format(Locale.ROOT, "kcptun %s: %s, %.1f Mbit/s (%.1f s)", tag, intact ? "intact" : "INCOMPLETE", mbps, r.seconds()));
        if (!intact) {
            notes.add("kcptun " + tag + ": transfer incomplete within " + secs + " s (sent " + r.sent() + ", received " + r.received() + ")");
        }
        return mbps;
    }

    private LabProcess rsock(Side side, String name, String... args) {
        return rsockOn(null, side, name, args);
    }

    /**
     * Starts {@code bin/rsock}, with {@code -Xlog:gc} into {@code gc-<name>.log} of the work folder
     * (after the user's {@code RSOCK_OPTS}), and pinned with {@code taskset -c cpus} unless
     * {@code cpus} is null.
     */
    private LabProcess rsockOn(String cpus, Side side, String name, String... args) {
        // The flow runs open up to 10 000 flows at 5 000 a second from one client: above the defaults
        // that keep one client from taking a server's whole table (2 000 new a second, 8 192 held).
        String label = name + "-" + (++runs);
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of("env", "RSOCK_OPTS=" + System.getenv().getOrDefault("RSOCK_OPTS", "") + " -Xlog:gc:file="
                + gcLog(label), install.resolve("bin/rsock").toString(), name.startsWith("server") ? "server" : "client", "-p", PORTS,
                "--hash-file", secret.toString(), "--log", work.toString(),
                "--max-new-sessions", "20000", "--max-sessions-per-client", "16384"));
        cmd.addAll(Arrays.asList(args));
        return net.start(side, label, cmd);
    }

    private Path gcLog(String processName) {
        return work.resolve("gc-" + processName + ".log");
    }

    /** The GC pauses of an rsock process, split at the moment traffic began on the current path. */
    private GcPauses gcPauses(LabProcess p, long trafficStartNanos) {
        return GcPauses.read(gcLog(p.name()), (trafficStartNanos - pathStartNanos) / 1e9);
    }

    /** utime+stime and stime of {@code p} in clock ticks (USER_HZ = 100), or 0 when there is no process. */
    private static long[] cpuTicks(LabProcess p) {
        if (p == null) {
            return new long[] {0, 0};
        }
        try {
            String stat = Files.readString(Paths.get("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static double rssMb(long pid) {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return Double.NaN;
    }

    /** The largest resident mappings of {@code pid} (smaps), to tell heap from rings and code. */
    private static String rssByMapping(long pid) {
        Map<String, Long> kb = new LinkedHashMap<>();
        try {
            String name = "?";
            for (String l : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps"))) {
                if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    String[] f = l.trim().split("\\s+", 6);
                    name = f.length > 5 ? f[5] : "[anon]";
                    name = name.replaceAll(".*/", "");
                } else if (l.startsWith("Rss:")) {
                    kb.merge(name, Long.parseLong(l.replaceAll("[^0-9]", "")), Long::sum);
                }
            }
        } catch (IOException e) {
            return "unavailable";
        }
        StringBuilder b = new StringBuilder();
        kb.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(5)
                .forEach(e -> b.append(e.getKey()).append(' ').append(e.getValue() / 1024).append(" MB, "));
        return b.toString();
    }

    private static String machine() {
        String cpu = Shell.run(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).out().strip();
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + Shell.run(List.of("uname", "-r")).out().strip() + ", Java " + System.getProperty("java.version") + ", load "
                + Shell.run(List.of("cat", "/proc/loadavg")).out().strip();
    }

    private static void log(String s) {
        System.err.println("[bench] " + s);
    }

    private Row direct(int size) {
        for (Row r : rows) {
            if (r.path.equals("direct UDP") && r.size == size) {
                return r;
            }
        }
        return null;
    }

    private static String f(double v, String fmt) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v);
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    private Row row(String path, int size) {
        for (Row r : rows) {
            if (r.path.equals(path) && r.size == size) {
                return r;
            }
        }
        return null;
    }

    /** The targets, each next to its baseline of this run. */
    private String targets() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nTARGETS (issue 15), 1 200 B, figures of this run%n"));
        Row direct = direct(1200);
        Row relay = row(RELAY_ROW, 1200);
        Row tcp = row("rsock tcp", 1200);
        Row icmp = row("rsock icmp", 1200);
        b.append("1. usable rate (<1% loss, p99 <= 5 ms):");
        for (Row r : new Row[] {direct, relay, row("rsock udp", 1200), tcp, icmp}) {
            if (r != null) {
                b.append(String.format(Locale.ROOT, " %s %.0f/s;", r.path, r.usablePps));
            }
        }
        if (tcp != null && relay != null) {
            double q = ratio(tcp.usablePps, relay.usablePps);
            b.append(String.format(Locale.ROOT, " tcp / relay %s (>= 0.90: %s)", f(q, "%.2f"), q >= 0.9 ? "met" : "NOT met"));
        }
        if (tcp != null && icmp != null) {
            double q = ratio(icmp.usablePps, tcp.usablePps);
            b.append(String.format(Locale.ROOT, "; icmp / tcp %s (>= 0.80: %s)", f(q, "%.2f"), q >= 0.8 ? "met" : "NOT met"));
        }
        b.append(String.format(Locale.ROOT, "%n2. added round trip over direct (p50 / p99), tunnel started 5 s before, 1 200 B; "
                + "bound +%.0f / +%.0f us:%n", TailRow.MAX_ADDED_P50_US, TailRow.MAX_ADDED_P99_US));
        for (TailRow t : tails) {
            b.append("   ").append(t.line()).append('\n');
        }
        Row kd = row("kcptun direct / open", 0);
        Row kt = row("kcptun over rsock tcp / throttle", 0);
        if (kd != null && kt != null) {
            double q = ratio(kt.lossFreeMbps, kd.lossFreeMbps);
            b.append(String.format(Locale.ROOT, "3. kcptun over rsock tcp under throttle / direct under open: %s (>= 0.95: %s)%n", f(q, "%.2f"),
                    q >= 0.95 ? "met" : "NOT met"));
        }
        if (tcp != null && relay != null) {
            double qc = ratio(tcp.clientCpuPerGb, relay.clientCpuPerGb);
            double qs = ratio(tcp.serverCpuPerGb, relay.serverCpuPerGb);
            b.append(String.format(Locale.ROOT, "4. CPU s/GB at the loss-free rate: tcp client %s, server %s; relay client %s, server %s; "
                    + "ratio client %s, server %s (<= 1.20: %s)%n", f(tcp.clientCpuPerGb, "%.2f"), f(tcp.serverCpuPerGb, "%.2f"),
                    f(relay.clientCpuPerGb, "%.2f"), f(relay.serverCpuPerGb, "%.2f"), f(qc, "%.2f"), f(qs, "%.2f"),
                    qc <= 1.2 && qs <= 1.2 ? "met" : "NOT met"));
        }
        for (String e : extraRows) {
            if (e.startsWith("GRO")) {
                b.append("5. ").append(e).append('\n');
            }
        }
        if (maxRingMiB >= 0) {
            b.append(String.format(Locale.ROOT, "5. largest capture ring mapped: %.1f MiB (<= 32: %s)%n", maxRingMiB,
                    maxRingMiB <= 32 ? "met" : "NOT met"));
        }
        for (String e : extraRows) {
            if (e.startsWith("every core")) {
                b.append("6. ").append(e).append(" (>= 1.60)\n");
            }
        }
        for (String g : gcRows) {
            b.append("7. GC pauses ").append(g).append('\n');
        }
        if (!gcRows.isEmpty()) {
            b.append(String.format(Locale.ROOT, "7. longest GC pause under traffic: %.2f ms (<= 1 ms: %s)%n", maxGcPauseMillis,
                    maxGcPauseMillis <= 1 ? "met" : "NOT met"));
        }
        return b.append('\n').toString();
    }

    private void report(Path outDir, double took) throws IOException {
        StringBuilder t = new StringBuilder();
        StringBuilder csv = new StringBuilder("path,size_b,usable_pps,lossfree_pps,lossfree_mbps,lossfree_ratio_to_direct,offered_pps,"
                + "delivered_mbps_at_offered,delivered_pct_at_offered,delivered_ratio_to_direct,p50_us,p99_us,added_p50_us,"
                + "client_cpu_s_per_gb,server_cpu_s_per_gb,server_rss_mb_1,server_rss_mb_100,server_rss_mb_1000,server_rss_mb_10000,note\n");
        t.append(String.format(Locale.ROOT, "%-30s %5s %8s %9s %8s %6s %9s %8s %6s %7s %7s %7s %7s %7s %6s %6s %6s  %s%n", "PATH",
                "SIZE", "USABLE", "LOSSFREE", "MBIT/S", "xUDP", "OFFERED", "MBIT/S", "xUDP", "P50us", "P99us", "+P50us", "cCPU/GB",
                "sCPU/GB", "RSS1", "RSS100", "RSS1k", "NOTE"));
        for (Row r : rows) {
            Row d = r.size > 0 ? direct(r.size) : null;
            boolean tunnel = r.path.startsWith("rsock") || r.path.equals(RELAY_ROW);
            double lr = d == null || r == d ? Double.NaN : ratio(r.lossFreePps, d.lossFreePps);
            double dr = d == null || r == d || !tunnel ? Double.NaN : ratio(r.deliveredMbps, d.deliveredMbps);
            double added = d == null || !tunnel ? Double.NaN : r.p50 - d.p50;
            boolean probeRow = (tunnel || r.path.equals("direct UDP")) && !r.path.contains("GRO");

            t.append(String.format(Locale.ROOT, "%-30s %5s %8s %9s %8s %6s %9s %8s %6s %7s %7s %7s %7s %7s %6s %6s %6s %s%n", r.path,
                    r.size > 0 ? "" + r.size : "-", probeRow || r.usablePps > 0 ? f(r.usablePps, "%.0f") : "-", r.size > 0 ? f(r.lossFreePps, "%.0f") : "-", f(r.lossFreeMbps, "%.1f"),
                    f(lr, "%.2f"), probeRow ? f(r.offeredPps, "%.0f") : "-", probeRow ? f(r.deliveredMbps, "%.1f") : "-", f(dr, "%.2f"),
                    probeRow ? f(r.p50, "%.0f") : "-", probeRow ? f(r.p99, "%.0f") : "-", f(added, "%.0f"),
                    f(r.clientCpuPerGb, "%.1f"), f(r.serverCpuPerGb, "%.1f"), f(r.rssMb.getOrDefault(1, Double.NaN), "%.0f"),
                    f(r.rssMb.getOrDefault(100, Double.NaN), "%.0f"), f(r.rssMb.getOrDefault(1000, Double.NaN), "%.0f"), r.note.strip()));
            csv.append(String.join(",", r.path, "" + r.size, probeRow ? f(r.usablePps, "%.0f") : "", f(r.lossFreePps, "%.0f"), f(r.lossFreeMbps, "%.2f"), f(lr, "%.3f"),
                    probeRow ? f(r.offeredPps, "%.0f") : "", probeRow ? f(r.deliveredMbps, "%.2f") : "",
                    probeRow ? f(r.deliveredPct, "%.2f") : "", f(dr, "%.3f"), probeRow ? f(r.p50, "%.1f") : "",
                    probeRow ? f(r.p99, "%.1f") : "", f(added, "%.1f"), f(r.clientCpuPerGb, "%.2f"), f(r.serverCpuPerGb, "%.2f"),
                    f(r.rssMb.getOrDefault(1, Double.NaN), "%.1f"), f(r.rssMb.getOrDefault(100, Double.NaN), "%.1f"),
                    f(r.rssMb.getOrDefault(1000, Double.NaN), "%.1f"), f(r.rssMb.getOrDefault(10_000, Double.NaN), "%.1f"),
                    "\"" + r.note.strip().replace("\"", "'") + "\"")).append('\n').toString();
        }
        Row kd = null;
        Row kt = null;
        Row kr = null;
        for (Row r : rows) {
            if (r.path.startsWith("kcptun direct")) {
                kd = r;
            } else if (r.path.startsWith("kcptun over rsock")) {
                kt = r;
            } else if (r.path.startsWith("kcptun over relay")) {
                kr = r;
            }
        }
        if (kd != null && kt != null) {
            t.append(String.format(Locale.ROOT, "kcptun over rsock tcp under throttle / kcptun direct under open: %s%n",
                    f(ratio(kt.lossFreeMbps, kd.lossFreeMbps), "%.2f")));
        }
        if (kd != null && kr != null) {
            t.append(String.format(Locale.ROOT, "kcptun over the relay floor under open / kcptun direct under open: %s%n",
                    f(ratio(kr.lossFreeMbps, kd.lossFreeMbps), "%.2f")));
        }
        t.append(targets());
        t.append(String.format(Locale.ROOT, "USABLE = highest offered pkt/s with <1%% loss and p99 <= 5 ms; LOSSFREE = highest offered pkt/s with <1%% loss (round trip through the echo); OFFERED = "
                + "1.5 x direct's loss-free rate, same for all paths; xUDP = ratio to direct UDP; CPU/GB = CPU s per GB of app "
                + "payload (both directions) of the rsock client (c) and server (s); RSSn = server RSS in MB with n app flows%n"));
        t.append(String.format(Locale.ROOT, "machine: %s; %s mode, %.0f s%n", machine(), quick ? "quick" : "full", took));
        for (String n : notes) {
            t.append("note: ").append(n).append('\n');
        }
        System.out.print(t);
        Files.createDirectories(outDir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm"));
        Path csvFile = outDir.resolve(stamp + (quick ? "-quick" : "") + ".csv");
        Files.writeString(csvFile, csv.toString());
        Files.writeString(outDir.resolve(stamp + (quick ? "-quick" : "") + ".txt"), t.toString());
        System.out.println("csv: " + csvFile);
    }
}
