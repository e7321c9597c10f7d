package io.rsock.netlab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test network of DESIGN.md: three network namespaces joined by veth pairs,
 *
 * <pre>
 *   client 10.201.1.2 [c0] ---- [i0] 10.201.1.1  isp  10.201.2.1 [i1] ---- [s0] 10.201.2.2 server
 *                                                    10.201.3.1 [i2] ---- [s0] 10.201.3.2 server2
 * </pre>
 *
 * dual stack: each link also has a unique-local IPv6 /64, {@code fd00:201:<link>::/64}, the hosts
 * {@code ::2} and the isp {@code ::1} (client fd00:201:1::2, server fd00:201:2::2, server2
 * fd00:201:3::2), default routes of both families through the isp, which forwards both. Duplicate
 * address detection is off, so every address works at once.
 *
 * the isp a router whose nftables apply an {@link IspProfile}, to both families. Namespaces are named
 * {@code rsk-<pid>-<n>-cli|isp|srv|sr2}, so that {@link #cleanupStale()} can remove those of a test JVM
 * that died. {@link #close()} (also run by a shutdown hook) stops every process the lab started and
 * deletes the namespaces, which deletes the veths with them.
 */
public final class TestNetwork implements AutoCloseable {
    public static final String CLIENT_ADDRESS = "10.201.1.2";
    public static final String ISP_CLIENT_SIDE = "10.201.1.1";
    public static final String ISP_SERVER_SIDE = "10.201.2.1";
    public static final String SERVER_ADDRESS = "10.201.2.2";
    public static final String ISP_SERVER2_SIDE = "10.201.3.1";
    public static final String SERVER2_ADDRESS = "10.201.3.2";
    public static final String CLIENT_ADDRESS6 = "fd00:201:1::2";
    public static final String ISP_CLIENT_SIDE6 = "fd00:201:1::1";
    public static final String ISP_SERVER_SIDE6 = "fd00:201:2::1";
    public static final String SERVER_ADDRESS6 = "fd00:201:2::2";
    public static final String ISP_SERVER2_SIDE6 = "fd00:201:3::1";
    public static final String SERVER2_ADDRESS6 = "fd00:201:3::2";
    /** Set to 1 (CI does) to fail instead of skip when the lab cannot be built. */
    public static final String REQUIRE_ENV = "RSOCK_REQUIRE_NETNS";

    /** Where {@code ip netns} keeps the namespaces it names. */
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final Pattern OUR_NAMESPACE = Pattern.compile("rsk-(\\d+)-(\\d+)-(cli|isp|srv|sr2)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<TestNetwork> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile String availability;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(TestNetwork::close), "rsock-lab-cleanup"));
    }

    private final String id;
    private final Path logDir;
    private final List<LabProcess> processes = new ArrayList<>();
    /** Sockets this JVM opened in the namespaces (echoes, probes): each would keep its namespace alive. */
    private final Set<AutoCloseable> inProcess = ConcurrentHashMap.newKeySet();
    private volatile IspProfile profile;
    private volatile boolean closed;

    private TestNetwork(String id, Path logDir) {
        this.id = id;
        this.logDir = logDir;
    }

    /**
     * Why the lab cannot be built here ({@code null} if it can): not root, no {@code ip} or
     * {@code nft}, or namespaces not permitted. With {@value #REQUIRE_ENV}=1 in the environment an
     * unavailable lab is an error instead of a reason to skip, so CI cannot pass by skipping.
     */
    public static String unavailableReason() {
        String reason = availability;
        if (reason == null) {
            reason = probe();
            availability = reason;
        }
        if (!reason.isEmpty() && "1".equals(System.getenv(REQUIRE_ENV))) {
            throw new LabException(REQUIRE_ENV + "=1 but the netns lab is unavailable: " + reason);
        }
        return reason.isEmpty() ? null : reason;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "the netns lab needs Linux";
        }
        Shell.Result uid = Shell.run(List.of("id", "-u"));
        if (!uid.ok() || !uid.out().strip().equals("0")) {
            return "the netns lab needs root (run as root, or with sudo)";
        }
        for (String tool : List.of("ip", "nft")) {
            if (!Shell.hasCommand(tool)) {
                return "the netns lab needs '" + tool + "' (apt-get install iproute2 nftables)";
            }
        }
        String name = "rsk-" + ProcessHandle.current().pid() + "-probe";
        Shell.Result add = Shell.run(List.of("ip", "netns", "add", name));
        Shell.run(List.of("ip", "netns", "del", name));
        return add.ok() ? "" : "cannot create network namespaces: " + add.out().strip();
    }

    /** Builds the three namespaces with {@code profile}; process logs go to a new temporary directory. */
    public static TestNetwork create(IspProfile profile) {
        try {
            return create(profile, Files.createTempDirectory("rsock-lab-"));
        } catch (IOException e) {
            throw new LabException("cannot create a log directory: " + e.getMessage());
        }
    }

    /** Builds the three namespaces with {@code profile}; process logs go to {@code logDir}. */
    public static TestNetwork create(IspProfile profile, Path logDir) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new LabException(reason);
        }
        cleanupStale();
        TestNetwork net = new TestNetwork(ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet(), logDir);
        OPEN.add(net);
        try {
            net.build();
            net.setProfile(profile);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * One {@code ip -batch} for the namespaces and veths, the sysctls written from this JVM, one
     * {@code ip -n <ns> -batch} per namespace for its links, addresses and routes, and one shell
     * that resolves the hosts' gateways: a handful of processes instead of one per command.
     */
    private void build() {
        IpBatch root = IpBatch.root();
        for (Side side : Side.values()) {
            root.add("netns", "add", namespace(side));
        }
        // Each end of a veth gets its own interface index. With the same index at both ends (each the
        // first device of its namespace, index 2) the kernel takes the second end's link-up for an
        // event that can wait: it is held back for up to a second, and IPv6 on that end with it.
        root.add("link", "add", "c0", "index", "10", "netns", namespace(Side.CLIENT), "type", "veth",
                "peer", "name", "i0", "index", "11", "netns", namespace(Side.ISP));
        root.add("link", "add", "i1", "index", "12", "netns", namespace(Side.ISP), "type", "veth",
                "peer", "name", "s0", "index", "13", "netns", namespace(Side.SERVER));
        root.add("link", "add", "i2", "index", "14", "netns", namespace(Side.ISP), "type", "veth",
                "peer", "name", "s0", "index", "15", "netns", namespace(Side.SERVER2));
        root.run();
        // No duplicate address detection, on the links down still: every address is usable at once.
        noDad(Side.CLIENT, "c0");
        noDad(Side.ISP, "i0", "i1", "i2");
        noDad(Side.SERVER, "s0");
        noDad(Side.SERVER2, "s0");
        Sysctl.set(namespaceFile(Side.ISP), "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        // The isp's ends first: a host's routes through it are added with its link up at both ends.
        IpBatch isp = IpBatch.in(namespace(Side.ISP)).add("link", "set", "lo", "up");
        address(isp, "i0", ISP_CLIENT_SIDE, ISP_CLIENT_SIDE6);
        address(isp, "i1", ISP_SERVER_SIDE, ISP_SERVER_SIDE6);
        address(isp, "i2", ISP_SERVER2_SIDE, ISP_SERVER2_SIDE6);
        isp.run();
        host(Side.CLIENT, "c0", CLIENT_ADDRESS, CLIENT_ADDRESS6, ISP_CLIENT_SIDE, ISP_CLIENT_SIDE6);
        host(Side.SERVER, "s0", SERVER_ADDRESS, SERVER_ADDRESS6, ISP_SERVER_SIDE, ISP_SERVER_SIDE6);
        host(Side.SERVER2, "s0", SERVER2_ADDRESS, SERVER2_ADDRESS6, ISP_SERVER2_SIDE, ISP_SERVER2_SIDE6);
        // Resolve each gateway now, so that a test's first packets do not wait for neighbour discovery.
        Shell.run(List.of("sh", "-c", String.join(" & ",
                ping6(Side.CLIENT, ISP_CLIENT_SIDE6), ping6(Side.SERVER, ISP_SERVER_SIDE6), ping6(Side.SERVER2, ISP_SERVER2_SIDE6),
                "wait")));
    }

    private void noDad(Side side, String... devices) {
        List<String> settings = new ArrayList<>(List.of("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"));
        for (String dev : devices) {
            settings.add("net.ipv6.conf." + dev + ".accept_dad=0");
        }
        Sysctl.set(namespaceFile(side), settings.toArray(String[]::new));
    }

    private void host(Side side, String dev, String address, String address6, String via, String via6) {
        IpBatch host = IpBatch.in(namespace(side)).add("link", "set", "lo", "up");
        address(host, dev, address, address6);
        host.add("route", "add", "default", "via", via);
        host.add("route", "add", "default", "via", via6);
        host.run();
    }

    private static void address(IpBatch batch, String dev, String address, String address6) {
        batch.add("addr", "add", address + "/24", "dev", dev);
        batch.add("addr", "add", address6 + "/64", "dev", dev, "nodad");
        // A wire carries packets, not the 64 KiB GSO batches a veth passes on whole: with one
        // segment per packet the sender's kernel cuts a batch before it leaves, so the isp polices
        // and filters packets of the sizes a real ISP would see.
        batch.add("link", "set", dev, "gso_max_segs", "1");
        batch.add("link", "set", dev, "up");
    }

    private String ping6(Side side, String address6) {
        return String.join(" ", inNamespace(side, List.of("ping", "-6", "-c", "1", "-W", "3", address6))) + " >/dev/null";
    }

    /**
     * The isp's routes to the server's subnets (both families) carry at most {@code mtu} bytes from
     * now on, while every device keeps its 1 500: a smaller link in the middle of the path, as a
     * tunnel or PPPoE makes one. The isp forwards nothing larger and answers it with ICMP
     * "fragmentation needed" or ICMPv6 "packet too big"; the ends' MSS does not tell them.
     */
    public void narrowServerPath(int mtu) {
        String m = Integer.toString(mtu);
        run(Side.ISP, "ip", "route", "replace", "10.201.2.0/24", "dev", "i1", "mtu", "lock", m);
        // The link's own IPv6 route has metric 256: replaced only under the same metric.
        run(Side.ISP, "ip", "-6", "route", "replace", "fd00:201:2::/64", "dev", "i1", "metric", "256", "mtu", "lock", m);
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String namespace(Side side) {
        return "rsk-" + id + "-" + side.suffix();
    }

    /** The file {@code ip netns} names {@code side}'s namespace by, for {@link Netns}. */
    public Path namespaceFile(Side side) {
        return NETNS_DIR.resolve(namespace(side));
    }

    /**
     * Runs {@code setup} with the calling thread in {@code side}'s namespace ({@link Netns#call}):
     * the sockets it opens belong there, whichever thread uses them afterwards.
     */
    public <T> T inside(Side side, Netns.Setup<T> setup) {
        if (closed) {
            throw new LabException("the test network is closed");
        }
        return Netns.call(namespaceFile(side), setup);
    }

    /** Closes {@code sockets} (opened {@link #inside} the lab) when the lab closes, unless {@link #release}d first. */
    void closeWithLab(AutoCloseable sockets) {
        inProcess.add(sockets);
        if (closed) {
            Closing.quietly(sockets);
            throw new LabException("the test network is closed");
        }
    }

    void release(AutoCloseable sockets) {
        inProcess.remove(sockets);
    }

    /** Where process logs go. */
    public Path logDir() {
        return logDir;
    }

    public IspProfile profile() {
        return profile;
    }

    /** Switches the isp to {@code profile} at once (flows in progress see the change). */
    public synchronized void setProfile(IspProfile profile) {
        Shell.check(inNamespace(Side.ISP, List.of("nft", "-f", "-")), profile.nftScript());
        String loose = profile.looseConntrack() ? "1" : "0";
        // The conntrack sysctls exist in a namespace once conntrack runs there; the table above loads it.
        Sysctl.set(namespaceFile(Side.ISP), "net.netfilter.nf_conntrack_tcp_loose=" + loose,
                "net.netfilter.nf_conntrack_tcp_be_liberal=0");
        this.profile = profile;
    }

    /**
     * Packets counted so far by the isp's named counter ({@code ct_invalid}, {@code udp_policed},
     * {@code udp_dropped}, {@code tcp_reset}: RSTs forged, {@code flow_dead}: packets of a reset flow).
     */
    public long ispCounter(String name) {
        String out = run(Side.ISP, "nft", "list", "counter", "inet", "rsklab", name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        if (!m.find()) {
            throw new LabException("no counter " + name + " in: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** Runs a short command in {@code side}'s namespace; fails with its output when it exits non-zero. */
    public String run(Side side, String... cmd) {
        return Shell.check(inNamespace(side, Arrays.asList(cmd)));
    }

    /** Runs a short command in {@code side}'s namespace and returns its result whatever its exit code. */
    public Shell.Result tryRun(Side side, String... cmd) {
        return Shell.run(inNamespace(side, Arrays.asList(cmd)));
    }

    /**
     * Starts a long-running command in {@code side}'s namespace, output to {@code <logDir>/<name>.log};
     * stopped by {@link #close()} if still running.
     */
    public synchronized LabProcess start(Side side, String name, List<String> cmd) {
        if (closed) {
            throw new LabException("the test network is closed");
        }
        File log = logDir.resolve(name + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(inNamespace(side, cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            LabProcess p = new LabProcess(name, pb.start(), log.toPath());
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new LabException("cannot start " + name + ": " + e.getMessage());
        }
    }

    /** {@code ip netns exec <ns> cmd...}: ip execs the command, so the process started is the command itself. */
    public List<String> inNamespace(Side side, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        all.addAll(cmd);
        return all;
    }

    /**
     * Closes the sockets this JVM opened in the namespaces, stops every process the lab started,
     * then any other process left in its namespaces, and deletes them.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        inProcess.forEach(Closing::quietly);
        inProcess.clear();
        // Signalled all at once, they shut down side by side: each still has 3 s before SIGKILL.
        processes.forEach(LabProcess::terminate);
        for (LabProcess p : processes) {
            p.awaitExit(3000);
        }
        deleteNamespaces(Arrays.stream(Side.values()).map(this::namespace).toList());
        OPEN.remove(this);
    }

    /** Kills the processes left in the namespaces {@code names} and deletes them, with one {@code ip} for all. */
    private static void deleteNamespaces(List<String> names) {
        killProcessesIn(names);
        IpBatch root = IpBatch.root();
        for (String name : names) {
            root.add("netns", "del", name);
        }
        root.runAll();
    }

    /** What {@code ip netns pids} does for each of {@code names}, then SIGKILL: this JVM itself excepted. */
    private static void killProcessesIn(List<String> names) {
        Set<Object> namespaces = new HashSet<>();
        for (String name : names) {
            Object inode = Netns.inode(NETNS_DIR.resolve(name));
            if (inode != null) {
                namespaces.add(inode);
            }
        }
        if (namespaces.isEmpty()) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) all::iterator) {
                String pid = proc.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit) && Long.parseLong(pid) != self
                        && namespaces.contains(Netns.inode(proc.resolve("ns/net")))) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            // no /proc to read: deleting the names still frees the namespaces once their processes end
        }
    }

    /**
     * Deletes the namespaces (and kills the processes in them) of labs whose JVM no longer runs, e.g.
     * one killed by a CI timeout. Returns how many namespaces it deleted.
     */
    public static int cleanupStale() {
        List<String> stale = new ArrayList<>();
        try (Stream<Path> all = Files.list(NETNS_DIR)) {
            for (Path file : (Iterable<Path>) all::iterator) {
                Matcher m = OUR_NAMESPACE.matcher(file.getFileName().toString());
                if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    stale.add(m.group());
                }
            }
        } catch (IOException e) {
            return 0; // no namespace made yet
        }
        if (!stale.isEmpty()) {
            deleteNamespaces(stale);
        }
        return stale.size();
    }

    @Override
    public String toString() {
        return "test network rsk-" + id + " (" + (profile == null ? "building" : profile.label()) + ")";
    }
}
