package io.rsock.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Role;
import io.rsock.core.config.TunnelSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A mistyped flag gets one line naming the flag and the problem, and exit code 2; never a stack trace. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = RsockCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code;
        try {
            code = cmd.execute(RsockCommand.withConfigFile(cmd, args).toArray(new String[0]));
        } catch (io.rsock.core.config.UsageException e) {
            err.write("rsock: " + e.getMessage() + "\n");
            code = 2;
        }
        return new Result(code, out.toString(), err.toString());
    }

    private void assertOneLineError(Result r, String... mustContain) {
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "expected one line, got: " + r.err());
        for (String s : mustContain) {
            assertTrue(lines.get(0).contains(s), "'" + lines.get(0) + "' lacks '" + s + "'");
        }
        assertTrue(!r.err().contains("\tat "), "stack trace printed");
    }

    @Test
    void badPorts() {
        assertOneLineError(run("server", "-t", "127.0.0.1:9999", "--ports", "70000"), "--ports", "70000");
        assertOneLineError(run("server", "--ports", "70000"), "--ports", "70000");
        assertOneLineError(run("server", "-t", "127.0.0.1:9999", "--ports", "1-"), "--ports", "1-");
        assertOneLineError(run("server", "-t", "127.0.0.1:9999", "-p", "10010-10001"), "--ports", "backwards");
    }

    @Test
    void missingOrBadAddresses() {
        assertOneLineError(run("server"), "--taddr");
        assertOneLineError(run("client", "-t", "10.0.0.1"), "--ludp");
        assertOneLineError(run("server", "-t", "127.0.0.1"), "--taddr", "ip:port");
        assertOneLineError(run("client", "-t", "10.0.0.1:5", "-l", "127.0.0.1:3000"), "--taddr", "-p");
        assertOneLineError(run("server", "-t", "2001:db8::1:9999"), "--taddr", "[2001:db8::1]:9999");
        assertOneLineError(run("client", "-t", "10.0.0.1,[2001:db8::1]:10001", "-l", "127.0.0.1:3000"), "--taddr", "-p");
        assertOneLineError(run("client", "-t", "2001:db8::zz", "-l", "127.0.0.1:3000"), "--taddr", "not an IPv6 address");
        assertOneLineError(run("client", "-t", "2001:db8::1", "-l", "::1:3000"), "--ludp", "brackets");
        assertOneLineError(run("server", "-t", "[::1]:9999", "--lcapIp", "[fd00::1"), "--lcapIp", "not an address");
        assertOneLineError(run("server", "-t", "[::1]:9999", "--metrics", "[::1]"), "--metrics", "ip:port");
    }

    @Test
    void badNumbersAndUnknownFlags() {
        assertOneLineError(run("server", "-t", "127.0.0.1:1", "--daemon", "2"), "--daemon");
        assertOneLineError(run("server", "-t", "127.0.0.1:1", "--duration", "abc"), "--duration");
        assertOneLineError(run("server", "-t", "127.0.0.1:1", "--bogus"), "--bogus");
    }

    @Test
    void unknownTypeListsWhatExists() {
        Result r = run("server", "-t", "127.0.0.1:1", "--hash", "a-secret-of-16-chars", "--type", "nosuch", "--plugins", tmp.toString(),
                "--log", tmp.resolve("log").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--type") && r.err().contains("nosuch") && r.err().contains("available"), r.err());
    }

    @Test
    void noSecretIsAUsageErrorSayingHowToGiveOne() throws Exception {
        // RSOCK_HASH would be a secret: this test needs an environment without it.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("RSOCK_HASH") == null, "RSOCK_HASH is set");
        String log = tmp.resolve("log").toString();
        assertOneLineError(run("server", "-t", "127.0.0.1:1", "--log", log), "no secret", "--hash", "--hash-file", "RSOCK_HASH");
        assertOneLineError(run("client", "-t", "10.0.0.1", "-l", "127.0.0.1:3000", "--log", log), "no secret");
        Path example = tmp.resolve("example.json");
        Files.writeString(example, "{\"taddr\": \"127.0.0.1:1\", \"hash\": \"change-this-secret\"}");
        assertOneLineError(run("server", "-f", example.toString(), "--log", log), "change-this-secret", "--hash");
    }

    @Test
    void aShortSecretGetsAWarning() {
        TunnelOptions o = new TunnelOptions();
        o.hash = "short";
        assertTrue(o.secretWarning().contains("5 characters"), o.secretWarning());
        o.hash = "0123456789abcdef";
        assertEquals(null, o.secretWarning());
    }

    @Test
    void configFileProblems() throws Exception {
        assertOneLineError(run("server", "-f", tmp.resolve("missing.json").toString()), "does not exist");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"taddr\": ");
        assertOneLineError(run("server", "-f", bad.toString()), "not valid JSON");
        Path unknown = tmp.resolve("unknown.json");
        Files.writeString(unknown, "{\"taddr\": \"127.0.0.1:1\", \"colour\": 1}");
        assertOneLineError(run("server", "-f", unknown.toString()), "colour");
        Path badPorts = tmp.resolve("ports.json");
        Files.writeString(badPorts, "{\"taddr\": \"127.0.0.1:1\", \"ports\": \"70000\"}");
        assertOneLineError(run("server", "-f", badPorts.toString()), "--ports", "70000");
    }

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        Path conf = tmp.resolve("c.json");
        Files.writeString(conf, "{\"taddr\": \"127.0.0.1:9999\", \"ports\": \"30000-30001\", \"v\": true, "
                + "\"opt\": {\"udp.sockbuf\": 1024}}");
        CommandLine cmd = RsockCommand.commandLine();
        List<String> args = RsockCommand.withConfigFile(cmd,
                new String[] {"server", "-f", conf.toString(), "--ports", "20000-20001"});
        CommandLine.ParseResult parsed = cmd.parseArgs(args.toArray(new String[0]));
        TunnelOptions o = ((ServerCommand) parsed.subcommand().commandSpec().userObject()).options;
        assertEquals("20000-20001", o.ports.toString());
        assertTrue(o.verbose);
        assertEquals("1024", o.options.get("udp.sockbuf"));
    }

    @Test
    void aConfigFileTakesIpv6AddressesAndAMixedServerList() throws Exception {
        Path conf = tmp.resolve("v6.json");
        Files.writeString(conf, "{\"taddr\": \"10.0.0.1,2001:db8::1\", \"ludp\": \"[::1]:30000\", \"lcapIp\": \"2001:db8::2\", "
                + "\"metrics\": \"[::1]:9464\", \"hash\": \"0123456789abcdef\"}");
        CommandLine cmd = RsockCommand.commandLine();
        CommandLine.ParseResult parsed = cmd.parseArgs(RsockCommand.withConfigFile(cmd, new String[] {"client", "-f", conf.toString()})
                .toArray(new String[0]));
        TunnelOptions o = ((ClientCommand) parsed.subcommand().commandSpec().userObject()).options;
        TunnelSettings s = o.toSettings(Role.CLIENT);
        assertEquals(List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("2001:db8::1")), s.servers());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 30000), s.listen());
        assertEquals(InetAddress.getByName("2001:db8::2"), s.captureIp());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9464), s.metrics());
    }

    /** No run behind {@code --unPath}: a killed run's socket, a plain file, a path too long to reach; one line each. */
    @Test
    void statusAndReloadWithNothingAnsweringSaySo() throws Exception {
        Path stale = tmp.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(stale)).close();
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path deep = Files.createDirectories(tmp.resolve("d".repeat(110 - tmp.toString().length())));
        Path tooLong = Files.writeString(deep.resolve("c.sock"), "x");
        for (Path p : List.of(stale, file, tooLong)) {
            assertOneLineError(run("status", "--unPath", p.toString()), "--unPath: nothing answers at " + p);
            assertOneLineError(run("reload", "--unPath", p.toString()), "--unPath: nothing answers at " + p);
        }
        assertOneLineError(run("status", "--unPath", tmp.resolve("none.sock").toString()), "no control socket at");
    }

    @Test
    void helpAndVersionWork() {
        Result help = run("server", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--taddr", "--ludp", "--dev", "-f", "--lcapIp", "--unPath", "--ports", "--duration",
                "--hash", "--type", "--daemon", "-v", "--log", "--cap_timeout")) {
            assertTrue(help.out().contains(flag), "help lacks " + flag);
        }
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().contains("rsock-java"));
    }
}
