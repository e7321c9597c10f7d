package io.rsock.core.cli;

import io.rsock.api.Role;
import io.rsock.core.config.Addresses;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.config.Limits;
import io.rsock.core.config.PortList;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.config.UsageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The flags {@code rsock server} and {@code rsock client} share: every flag of the original tool, with
 * its names, plus ours. The JSON config file uses the long names as keys.
 */
public final class TunnelOptions {
    /** The placeholder of the example config files: refused like no secret at all. */
    static final String EXAMPLE_SECRET = "change-this-secret";
    /** Shorter secrets get a warning: the tag does not slow down guessing a captured frame's secret offline. */
    static final int SHORT_SECRET = 16;
    private static final String HOW = "give --hash SECRET, --hash-file FILE, RSOCK_HASH=SECRET or \"hash\" in the -f config "
            + "file, the same on both ends (e.g. head -c 32 /dev/urandom | base64 > /etc/rsock/secret; --hash-file /etc/rsock/secret)";

    @Option(names = {"-t", "--taddr"}, required = true, paramLabel = "ADDR",
            description = "Server: the target ip:port app datagrams go to (e.g. 127.0.0.1:9999, [::1]:9999). "
                    + "Client: the rsock server's ip (IPv4 or IPv6), or several comma-separated, e.g. 203.0.113.7,2001:db8::7.")
    String taddr;

    @Option(names = {"-l", "--ludp"}, paramLabel = "IP:PORT",
            description = "Client: the local UDP address the app sends to (e.g. 127.0.0.1:30000, [::1]:30000).")
    String ludp;

    @Option(names = {"-d", "--dev"}, paramLabel = "DEVICE",
            description = "Network device to capture on (e.g. eth0). Default: the one that routes to the peer.")
    String dev;

    @Option(names = "-f", paramLabel = "FILE",
            description = "JSON config file; keys are the long flags (\"taddr\", \"ports\"...). Flags override it.")
    Path configFile;

    @Option(names = "--lcapIp", paramLabel = "IP",
            description = "Internet IP to capture on (IPv4 or IPv6); picks the device that owns it.")
    String lcapIp;

    @Option(names = "--unPath", paramLabel = "PATH", description = "Control socket path (for rsock status).")
    Path unPath;

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS", defaultValue = PortList.DEFAULT,
            converter = PortListConverter.class,
            description = "Server ports, e.g. 10001,10010 or 10001-10010 or 80,443,10001-10010. No spaces. Default: ${DEFAULT-VALUE}.")
    PortList ports;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30",
            description = "An app flow with no datagram for this long is closed. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--hash", paramLabel = "SECRET",
            description = "Shared secret that authenticates every frame (not encryption); required (or --hash-file, "
                    + "RSOCK_HASH). Use 16 or more random characters.")
    String hash;

    @Option(names = "--hash-file", paramLabel = "FILE",
            description = "Read the shared secret from the first line of FILE (keeps it out of ps and shell history).")
    Path hashFile;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "tcp",
            description = "Transport(s): tcp, udp, all, any plugin's type, or a comma list. Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--daemon", paramLabel = "0|1", defaultValue = "0",
            description = "1: run in the background (logs to --log). Default: ${DEFAULT-VALUE}.")
    int daemon;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging.")
    boolean verbose;

    @Option(names = "--log", paramLabel = "DIR", defaultValue = "/var/log/rsock",
            description = "Log directory, created if missing. Default: ${DEFAULT-VALUE}.")
    Path log;

    @Option(names = "--cap_timeout", paramLabel = "MS", defaultValue = "10",
            description = "libpcap read timeout in milliseconds. Default: ${DEFAULT-VALUE}.")
    int capTimeout;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Plugin folder. Default: plugins/ of the installation.")
    Path plugins;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_SESSIONS,
            description = "Most app flows held at once; the least recently active is dropped beyond. Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_CLIENTS,
            description = "Server: most clients held at once; a new client beyond is ignored. Default: ${DEFAULT-VALUE}.")
    int maxClients;

    @Option(names = "--max-conns", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_CONNS,
            description = "Server: most conns held at once, authenticated or not yet. Default: ${DEFAULT-VALUE}.")
    int maxConns;

    @Option(names = "--max-conns-per-client", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_CONNS_PER_CLIENT,
            description = "Server: most conns one client holds; its least recently seen is closed beyond. Default: ${DEFAULT-VALUE}.")
    int maxConnsPerClient;

    @Option(names = "--max-sessions-per-client", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_SESSIONS_PER_CLIENT,
            description = "Server: most app flows one client holds; its least recently active go beyond. Default: ${DEFAULT-VALUE}.")
    int maxSessionsPerClient;

    @Option(names = "--max-reassembly", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_REASSEMBLY,
            description = "Most datagrams half reassembled from fragments at once. Default: ${DEFAULT-VALUE}.")
    int maxReassembly;

    @Option(names = "--max-new-sessions", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_NEW_SESSIONS,
            description = "Most new app flows per second; a new flow's datagram beyond is dropped. Default: ${DEFAULT-VALUE}.")
    int maxNewSessions;

    @Option(names = "--crypt", paramLabel = "none|aes-gcm|chacha20-poly1305", defaultValue = "none",
            description = "Encrypt frames with an AEAD keyed from the secret (both ends must agree). Default: ${DEFAULT-VALUE}.")
    String crypt;

    @Option(names = "--heartbeat", paramLabel = "MS", defaultValue = "500",
            description = "Heartbeat interval per conn (client). Default: ${DEFAULT-VALUE}.")
    int heartbeatMs;

    @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "0",
            description = "Client: with no app traffic for this long, close every conn (no keepalives, no redials) and dial "
                    + "again on the next datagram, which waits for the first conn. 0 (default): never.")
    int idleSeconds;

    @Option(names = "--random-ports", paramLabel = "N", defaultValue = "0",
            description = "Use only N of --ports at a time, a set derived from the secret and the time that moves every "
                    + "--port-rotation seconds (both ends must agree; clocks within a few seconds). 0 (default): all ports.")
    int randomPorts;

    @Option(names = "--port-rotation", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long a --random-ports set lives. Default: ${DEFAULT-VALUE}.")
    int portRotationSeconds;

    @Option(names = "--metrics", paramLabel = "IP:PORT",
            description = "Serve Prometheus metrics at http://IP:PORT/metrics, e.g. 127.0.0.1:9464 or [::1]:9464.")
    String metrics;

    @Option(names = "--no-rules",
            description = "Do not install firewall rules; print the ones to add instead.")
    boolean noRules;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "Transport option, e.g. --opt udp.idle=60s. Repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    /** Checks the flags for {@code role} and turns them into settings. */
    TunnelSettings toSettings(Role role) {
        InetSocketAddress target = null;
        List<InetAddress> servers = List.of();
        InetSocketAddress listen = null;
        if (role == Role.SERVER) {
            target = parse("-t/--taddr", () -> Addresses.hostPort(taddr));
        } else {
            servers = parse("-t/--taddr", () -> Addresses.hostList(taddr));
            if (ludp == null) {
                throw new UsageException("missing -l/--ludp: the local UDP address the app sends to, e.g. -l 127.0.0.1:30000");
            }
            listen = parse("-l/--ludp", () -> Addresses.hostPort(ludp));
        }
        InetAddress captureIp = lcapIp == null ? null : parse("--lcapIp", () -> Addresses.host(lcapIp));
        InetSocketAddress metricsAt = metrics == null ? null : parse("--metrics", () -> Addresses.hostPort(metrics));
        check(duration >= 1 && duration <= 86400, "--duration: " + duration + " is not between 1 and 86400 seconds");
        check(daemon == 0 || daemon == 1, "--daemon: takes 0 or 1, not " + daemon);
        check(capTimeout >= 1 && capTimeout <= 10000, "--cap_timeout: " + capTimeout + " is not between 1 and 10000 ms");
        Limits limits = new Limits(maxSessions, maxClients, maxConns, maxConnsPerClient, maxSessionsPerClient, maxReassembly,
                maxNewSessions);
        FrameProtection protection = FrameProtection.parse(crypt);
        check(heartbeatMs >= 50 && heartbeatMs <= 60000, "--heartbeat: " + heartbeatMs + " is not between 50 and 60000 ms");
        check(!type.isBlank(), "--type: empty");
        check(randomPorts >= 0 && randomPorts <= ports.ports().length, "--random-ports: " + randomPorts
                + " is not between 0 and the " + ports.ports().length + " ports of -p");
        check(portRotationSeconds >= 4 && portRotationSeconds <= 86400, "--port-rotation: " + portRotationSeconds
                + " is not between 4 and 86400 seconds");
        check(idleSeconds >= 0 && idleSeconds <= 86400, "--idle: " + idleSeconds + " is not between 0 and 86400 seconds");
        return new TunnelSettings(role, target, servers, listen, dev, captureIp, unPath, ports,
                Duration.ofSeconds(duration), secret(), List.of(type.split(",")), log, verbose, capTimeout,
                limits, Duration.ofMillis(heartbeatMs), noRules, metricsAt, options, Duration.ofSeconds(idleSeconds),
                randomPorts, Duration.ofSeconds(portRotationSeconds), protection);
    }

    /**
     * The secret: {@code --hash} (also the config file's {@code "hash"}), else {@code --hash-file}, else
     * {@code RSOCK_HASH}. There is no built-in one: a server anyone who read the source could use is
     * an open relay, so without a secret (or with the example file's placeholder) this is a usage error.
     */
    String secret() {
        String s = givenSecret();
        if (s == null) {
            throw new UsageException("no secret: " + HOW);
        }
        if (s.equals(EXAMPLE_SECRET)) {
            throw new UsageException("the secret is the example's \"" + EXAMPLE_SECRET + "\": " + HOW);
        }
        return s;
    }

    /** A warning for a secret that is short enough to guess, or null. */
    String secretWarning() {
        int n = secret().length();
        return n >= SHORT_SECRET ? null : "the secret is " + n + " characters; use " + SHORT_SECRET
                + " or more random ones (an on-path attacker can test guesses against one captured frame offline)";
    }

    private String givenSecret() {
        if (hash != null) {
            return hash;
        }
        if (hashFile != null) {
            try {
                String first = Files.readAllLines(hashFile).stream().findFirst().orElse("").strip();
                if (first.isEmpty()) {
                    throw new UsageException("--hash-file: " + hashFile + " is empty");
                }
                return first;
            } catch (IOException e) {
                throw new UsageException("--hash-file: cannot read " + hashFile + ": " + e.getMessage());
            }
        }
        String env = System.getenv("RSOCK_HASH");
        return env != null && !env.isEmpty() ? env : null;
    }

    private static <T> T parse(String flag, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage());
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }
}
