package io.rsock.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.core.StubTransport;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.host.RawPacketAccess;
import io.rsock.core.host.TunnelRun;
import io.rsock.core.stats.Counters;
import io.rsock.netlab.JavaCommand;
import io.rsock.packet.firewall.CommandRunner;
import io.rsock.packet.firewall.FirewallManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * macOS's pf anchor and Windows' netsh rules, applied and removed as on Linux, proven here with a
 * runner that records the commands instead of running them: removed at a clean exit (SIGINT,
 * SIGTERM, and SIGUSR1 mapped to one as rsock does) and when the run fails to start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForeignFirewallTest {
    static final String TOKEN = "9876543210";

    static FirewallManager.Backend backend(String name) {
        return name.equals("pf") ? FirewallManager.Backend.PF : FirewallManager.Backend.NETSH;
    }

    /** pfctl -E hands out a reference token; everything else succeeds silently. */
    static CommandRunner.Result answer(String command) {
        return new CommandRunner.Result(0, command.equals("pfctl -E") ? "pf enabled\nToken : " + TOKEN : "");
    }

    /** The commands that install the rule for TCP port 10001 and those that take it out again, for {@code run}. */
    private static List<String> expected(String backend, String run) {
        String anchor = "com.apple/" + run;
        return backend.equals("pf")
                ? List.of("pfctl -E", "pfctl -a " + anchor + " -f -", "pfctl -a " + anchor + " -F rules", "pfctl -X " + TOKEN)
                : List.of("netsh advfirewall firewall add rule name=" + run + "-1 dir=in action=block protocol=TCP localport=10001",
                        "netsh advfirewall firewall delete rule name=" + run + "-1");
    }

    @ParameterizedTest
    @CsvSource({"pf, TERM", "pf, INT", "pf, USR1", "netsh, TERM", "netsh, INT", "netsh, USR1"})
    void aSignalRemovesTheRules(String backend, String signal) throws Exception {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(ForeignFirewallExitMain.class.getName()));
        cmd.add(backend);
        Path log = Files.createTempFile("rsock-foreign-fw-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("READY")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("did not get ready:\n" + Files.readString(log));
                }
                Thread.sleep(20);
            }
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not exit on SIG" + signal + ":\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertEquals(expected(backend, "rsock_" + p.pid()), commands(out), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @ParameterizedTest
    @CsvSource({"pf", "netsh"})
    void aFailedStartRemovesTheRulesAlreadyInstalled(String backend) throws Exception {
        List<String> recorded = new ArrayList<>();
        CommandRunner recording = recordingInto(recorded);
        CommandLineParse parsed = CommandLineParse.server("-t", "127.0.0.1:9999", "-p", "10001", "--hash", "foreign-firewall-test");
        RawPacketAccess packets = new RawPacketAccess(parsed.settings(), b -> FirewallManager.create(backend(backend), recording));
        TunnelRun run = new TunnelRun(parsed.settings(), List.of(new Stub("rules", true), new Stub("broken", false)), packets,
                new Counters());
        TransportException e = assertThrows(TransportException.class, run::start);
        assertEquals("broken cannot start", e.getMessage());
        List<String> installedAndRemoved = commands(recorded);
        String name = recorded.stream().filter(c -> c.contains("rsock_")).findFirst().orElseThrow()
                .replaceAll(".*(rsock_\\d+(?:_\\d+)?).*", "$1");
        assertEquals(expected(backend, name), installedAndRemoved, recorded::toString);
        assertTrue(recorded.get(0).contains("-s Anchors") || recorded.get(0).contains("show rule name=all"),
                "stale rules of dead runs are looked for first: " + recorded);
    }

    /**
     * A {@code --unPath} no client could reach (120 bytes) fails the start before any transport
     * starts: no conn comes up and no firewall rule goes in only to be taken out again.
     */
    @ParameterizedTest
    @CsvSource({"pf", "netsh"})
    void aControlSocketNoClientCouldReachFailsTheStartBeforeAnyRule(String backend, @TempDir Path tmp) throws Exception {
        List<String> recorded = new ArrayList<>();
        CommandRunner recording = recordingInto(recorded);
        Path deep = Files.createDirectories(tmp.resolve("d".repeat(Math.max(1, 120 - tmp.toString().length() - 8))));
        Path socket = deep.resolve("c.sock");
        CommandLineParse parsed = CommandLineParse.server("-t", "127.0.0.1:9999", "-p", "10001", "--hash", "foreign-firewall-test",
                "--unPath", socket.toString());
        RawPacketAccess packets = new RawPacketAccess(parsed.settings(), b -> FirewallManager.create(backend(backend), recording));
        Stub rules = new Stub("rules", true);
        TunnelRun run = new TunnelRun(parsed.settings(), List.of(rules), packets, new Counters());
        IOException e = assertThrows(IOException.class, run::start);
        assertTrue(e.getMessage().contains("choose a shorter --unPath"), e.getMessage());
        assertEquals(0, rules.startCalls, "the transport started");
        assertEquals(List.of(), commands(recorded), recorded::toString);
    }

    /** A runner that answers as {@link #answer} does and notes every command line in {@code recorded}. */
    private static CommandRunner recordingInto(List<String> recorded) {
        return (command, stdin) -> {
            String line = String.join(" ", command);
            recorded.add(line);
            return answer(line);
        };
    }

    /** The install and removal commands among {@code recorded} (stale sweeps left out). */
    private static List<String> commands(List<String> recorded) {
        return commands(String.join("\n", recorded.stream().map(c -> "CMD " + c).toList()));
    }

    /** The install and removal commands among the printed lines (stale sweeps left out), stdin not shown. */
    private static List<String> commands(String out) {
        return out.lines().filter(l -> l.startsWith("CMD ")).map(l -> l.substring(4))
                .filter(c -> !c.contains("-s Anchors") && !c.contains("show rule name=all")).toList();
    }

    /** Parses a command line as {@code rsock} does, for its settings. */
    private record CommandLineParse(TunnelSettings settings) {
        static CommandLineParse server(String... args) {
            String[] all = new String[args.length + 1];
            all[0] = "server";
            System.arraycopy(args, 0, all, 1, args.length);
            picocli.CommandLine.ParseResult parsed = RsockCommand.commandLine().parseArgs(all);
            TunnelCommand c = (TunnelCommand) parsed.subcommand().commandSpec().userObject();
            return new CommandLineParse(c.options.toSettings(Role.SERVER));
        }
    }

    /** A transport whose start installs a drop rule, or fails. */
    private static final class Stub extends StubTransport {
        private final String type;
        private final boolean starts;
        int startCalls;

        Stub(String type, boolean starts) {
            this.type = type;
            this.starts = starts;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public void start(TransportContext ctx) throws TransportException {
            startCalls++;
            if (!starts) {
                throw new TransportException(type + " cannot start");
            }
            ctx.firewall().dropInbound(PacketFilter.tcpTo(10001));
        }
    }
}
