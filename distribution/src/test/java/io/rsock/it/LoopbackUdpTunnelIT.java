package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.UdpEcho;
import io.rsock.netlab.UdpProbe;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --type udp} tunnel on this machine's loopback through the installation's own launcher
 * ({@code bin/rsock}, or {@code bin/rsock.bat} on Windows): no root, no namespaces, no libpcap. It
 * is what CI runs on Linux, macOS and Windows (.github/workflows/ci.yml); here it runs on Linux only.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoopbackUdpTunnelIT {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    private final List<Process> started = new ArrayList<>();
    private UdpEcho echo;

    @TempDir
    Path work;

    @Test
    void aUdpTunnelOnLoopbackCarriesDatagramsIntact() throws Exception {
        echo = UdpEcho.start(0, 150);
        int app = freeUdpPort();
        int tunnel = freeUdpPort();
        Path secret = work.resolve("secret");
        Files.writeString(secret, "loopback-" + System.nanoTime() + "\n");
        Process server = start("server", rsock("server", "-t", "127.0.0.1:" + echo.port(), "--type", "udp", "-p", "" + tunnel,
                "--hash-file", secret.toString(), "--log", work.toString()));
        Process client = start("client", rsock("client", "-t", "127.0.0.1", "-l", "127.0.0.1:" + app, "--type", "udp",
                "-p", "" + tunnel, "--hash-file", secret.toString(), "--log", work.toString()));
        awaitFirstEcho(app, server, client);
        ProbeResult r = probe(app, 2000, 1200, 1000);
        System.out.println("loopback, 2000 x 1200 B at 1000/s, rsock udp through the launcher: " + r);
        assertEquals(0, r.corrupt(), r::toString);
        assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient:\n" + output("client") + "\nserver:\n" + output("server"));
    }

    /** The launcher's command line. */
    private static List<String> rsock(String... args) {
        Path home = RsockLab.install();
        List<String> cmd = new ArrayList<>(WINDOWS
                ? List.of("cmd.exe", "/c", home.resolve("bin").resolve("rsock.bat").toString())
                : List.of(home.resolve("bin").resolve("rsock").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Probes (bounded) until the tunnel echoes: the client's pool is up. */
    private void awaitFirstEcho(int app, Process server, Process client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (probe(app, 10, 100, 50).received() == 0) {
            if (!server.isAlive() || !client.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the tunnel never echoed\nclient:\n" + output("client") + "\nserver:\n" + output("server"));
            }
        }
    }

    private static ProbeResult probe(int app, int count, int size, int rate) {
        return UdpProbe.run("127.0.0.1:" + app, count, size, rate, 1, 1000);
    }

    private Process start(String name, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(name + ".out").toFile()).start();
        p.getOutputStream().close();
        started.add(p);
        return p;
    }

    private String output(String name) {
        try {
            return Files.readString(work.resolve(name + ".out"));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Stops every process, the launcher's children first (cmd.exe does not pass a stop on to java). */
    @AfterEach
    void stop() throws InterruptedException {
        if (echo != null) {
            echo.close();
        }
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
