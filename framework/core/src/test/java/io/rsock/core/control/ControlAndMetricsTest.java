package io.rsock.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.api.CounterKind;
import io.rsock.core.stats.Counters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.rsock.netlab.Shell;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ControlAndMetricsTest {
    @TempDir
    Path tmp;

    @Test
    void statusOverTheControlSocket() throws Exception {
        Path sock = tmp.resolve("rsock.sock");
        try (ControlServer s = ControlServer.start(sock, () -> Map.of("role", "server", "sessions", 3))) {
            Map<String, Object> status = ControlClient.status(sock);
            assertEquals("server", status.get("role"));
            assertEquals(3, status.get("sessions"));
        }
        assertFalse(Files.exists(sock), "socket file left behind");
    }

    @Test
    void reloadOverTheControlSocketAnswersWhatChangedOrWhy() throws Exception {
        Path sock = tmp.resolve("reload.sock");
        int[] calls = {0};
        try (ControlServer s = ControlServer.start(sock, Map::of, () -> {
            calls[0]++;
            if (calls[0] == 2) {
                throw new IllegalStateException("ports: bad list");
            }
            return Map.of("ports", "ports 10001-10004 (added [10003, 10004], removed none)");
        })) {
            assertEquals("ports 10001-10004 (added [10003, 10004], removed none)", ControlClient.reload(sock).get("ports"));
            assertEquals("ports: bad list", ControlClient.reload(sock).get("error"), "a failed reload is an answer, not a dead socket");
            assertTrue(ControlClient.reload(sock).containsKey("ports"), "still answering");
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path sock = tmp.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(sock)).close(); // a killed run's
        assertTrue(Files.exists(sock));
        try (ControlServer s = ControlServer.start(sock, () -> Map.of("ok", true))) {
            assertEquals(true, ControlClient.status(sock).get("ok"));
        }
    }

    /**
     * A path a client cannot fit in a socket address (CI's deeper clone made the lab's 108 bytes
     * long: the run bound it, the test never reached it) fails the start, and leaves nothing.
     */
    @ParameterizedTest
    @ValueSource(ints = {92, 120})
    void aPathNoClientCouldReachFailsTheStart(int directoryLength) throws Exception {
        // 92: the run binds in its private directory, the name is out of reach; 120: nothing binds
        Path deep = Files.createDirectories(tmp.resolve("d".repeat(directoryLength - tmp.toString().length() - 1)));
        Path sock = deep.resolve("client-icmp-2.sock");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(sock, Map::of));
        assertTrue(e.getMessage().contains("choose a shorter --unPath"), e.getMessage());
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> left = Files.list(deep)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void anythingButAStaleSocketAtThePathIsLeftAloneAndTheStartFails() throws Exception {
        Path file = tmp.resolve("not-a-socket");
        Files.writeString(file, "precious");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(file, Map::of));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(file));
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, file);
        assertThrows(IOException.class, () -> ControlServer.start(link, Map::of));
        assertEquals("precious", Files.readString(file));
        Path live = tmp.resolve("live.sock");
        try (ControlServer first = ControlServer.start(live, () -> Map.of("first", true))) {
            IOException twice = assertThrows(IOException.class, () -> ControlServer.start(live, Map::of));
            assertTrue(twice.getMessage().contains("another process"), twice.getMessage());
            assertEquals(true, ControlClient.status(live).get("first"), "the live socket was not touched");
        }
    }

    @Test
    void theSocketIsOwnerOnlyAndClosingRemovesOnlyItsOwnFile() throws Exception {
        Path sock = tmp.resolve("mode.sock");
        ControlServer s = ControlServer.start(sock, Map::of);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock, LinkOption.NOFOLLOW_LINKS)));
        try (var listing = Files.list(tmp)) {
            assertEquals(List.of(sock), listing.toList(), "the private directory it was made in is gone");
        }
        Files.delete(sock);
        Files.writeString(sock, "someone else's");
        s.close();
        assertEquals("someone else's", Files.readString(sock), "close deleted a file that was not its socket");
    }

    /** Needs root (to act as another user), setpriv and nc: a user other than root and the run's own is not answered. */
    @Test
    void onlyRootAndTheRunsOwnUserAreAnswered() throws Exception {
        assumeTrue(isRoot() && Shell.hasCommand("setpriv") && Shell.hasCommand("nc"), "needs root, setpriv and nc");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = tmp.resolve("peer.sock");
        try (ControlServer s = ControlServer.start(sock, () -> Map.of("role", "server"))) {
            // Open the file to everyone, as a careless chmod or a file system without modes would: the kernel's
            // word on the peer's uid still keeps others out.
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            String asNobody = Shell.check(List.of("sh", "-c", "echo status | setpriv --reuid 65534 --regid 65534 --clear-groups "
                    + "nc -q 2 -U " + sock));
            assertEquals("", asNobody.strip(), "a stranger got an answer");
            String asRoot = Shell.check(List.of("sh", "-c", "echo status | nc -q 2 -U " + sock));
            assertTrue(asRoot.contains("\"role\":\"server\""), asRoot);
        }
    }

    private static boolean isRoot() {
        Shell.Result r = Shell.run(List.of("id", "-u"));
        return r.ok() && r.out().strip().equals("0");
    }

    @Test
    void prometheusTextFormat() {
        Counters counters = new Counters();
        counters.get("frame.bad_mac").add(7);
        counters.declare("xor.bad_datagrams", CounterKind.DROP, "datagrams that were not ours").add(3);
        counters.get("xor.undeclared").add(1);
        String text = MetricsServer.render("client", counters.snapshot(), counters.declarations(), Map.of("sessions", 2));
        assertTrue(text.contains("# HELP rsock_frame_bad_mac_total frame failed authentication"), text);
        assertTrue(text.contains("# TYPE rsock_frame_bad_mac_total counter\n"));
        assertTrue(text.contains("rsock_frame_bad_mac_total{role=\"client\",kind=\"drop\"} 7\n"), text);
        assertTrue(text.contains("# HELP rsock_xor_bad_datagrams_total datagrams that were not ours\n"), text);
        assertTrue(text.contains("rsock_xor_bad_datagrams_total{role=\"client\",kind=\"drop\"} 3\n"), text);
        assertTrue(text.contains("rsock_xor_undeclared_total{role=\"client\"} 1\n"), "no kind when none was declared: " + text);
        assertTrue(text.contains("rsock_sessions{role=\"client\"} 2\n"));
    }

    @Test
    void servedOverHttp() throws Exception {
        Counters counters = new Counters();
        counters.get("app.received").add(1);
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (MetricsServer m = MetricsServer.start(new InetSocketAddress("127.0.0.1", port), "server", counters, Map::of)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("rsock_app_received_total{role=\"server\"} 1"));
        }
    }
}
