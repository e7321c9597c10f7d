package io.rsock.netlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Threads of this JVM enter a lab namespace, open sockets (or write sysctls) there and come back; none stays behind. */
class NetnsTest {
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");
    private static final Path TTL = Path.of("/proc/sys/net/ipv4/ip_default_ttl");

    @BeforeAll
    static void needsTheLab() {
        String reason = TestNetwork.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: " + reason);
    }

    @Test
    void theCallingThreadIsInsideDuringTheSetUpAndBackAfter() throws Exception {
        Object before = inode(OWN);
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            Object inside = net.inside(Side.SERVER, () -> inode(OWN));
            assertEquals(inode(net.namespaceFile(Side.SERVER)), inside);
            assertNotEquals(before, inside);
            assertEquals(before, inode(OWN), "the thread did not come back");
        }
    }

    @Test
    void echoAndConcurrentProbesRunInProcessAndLeaveNoThreadInTheLab() throws Exception {
        Object own = inode(OWN);
        UdpEcho echo;
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            echo = UdpEcho.start(net, Side.SERVER, "echo", 9999, 120);
            // Only the lab's routes join client and server: a socket left in this JVM's namespace gets no reply.
            List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                probes.add(CompletableFuture.supplyAsync(() -> UdpProbe.run(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":9999",
                        1000, 1200, 1000, 2, 1000)));
            }
            for (CompletableFuture<ProbeResult> p : probes) {
                ProbeResult r = p.get(60, TimeUnit.SECONDS);
                System.out.println("netns in-process probe: " + r);
                assertTrue(r.clean(), r::toString);
                assertTrue(r.received() >= 990, r::toString);
            }
            assertTrue(echo.isRunning());
        }
        assertFalse(echo.isRunning(), "the echo outlived its lab");
        assertEquals(List.of(), threadsNotIn(own), "threads left in a lab namespace");
    }

    @Test
    void closingTheLabEndsAProbeEarly() throws Exception {
        CompletableFuture<ProbeResult> probe;
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            UdpEcho.start(net, Side.SERVER, "echo", 9999, 120);
            probe = CompletableFuture.supplyAsync(() -> UdpProbe.run(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":9999",
                    60_000, 200, 1000, 1, 1000));
            Thread.sleep(1500);
        }
        ProbeResult r = probe.get(20, TimeUnit.SECONDS); // a minute's burst, cut short
        assertTrue(r.sent() < 30_000, r::toString);
    }

    @Test
    void aMissingNamespaceIsAClearError() throws Exception {
        Object before = inode(OWN);
        Path missing = Path.of("/var/run/netns/rsk-no-such-namespace");
        LabException e = assertThrows(LabException.class, () -> Netns.call(missing, () -> "never"));
        assertTrue(e.getMessage().startsWith("no network namespace at " + missing), e::getMessage);
        assertEquals(before, inode(OWN));
    }

    @Test
    void aThreadStartedInsideIsCaught() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabException e = assertThrows(LabException.class, () -> net.inside(Side.CLIENT, () -> {
                Thread t = new Thread(() -> {
                    running.countDown();
                    awaitQuietly(release);
                }, "stray");
                t.start();
                started.add(t);
                // Until its run() begins, the new thread's kernel name is the JVM's ("java"), not "stray".
                awaitQuietly(running);
                return t;
            }));
            assertTrue(e.getMessage().contains(":stray]"), e::getMessage);
        } finally {
            release.countDown();
            for (Thread t : started) {
                t.join(5000);
            }
        }
    }

    /** A sysctl the JVM writes lands in the namespace its thread entered: not in the JVM's own, nor in another lab namespace. */
    @Test
    void aSysctlWrittenFromTheJvmLandsInTheNamespaceOnly() throws Exception {
        String ownTtl = Files.readString(TTL).strip();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            Sysctl.set(net.namespaceFile(Side.CLIENT), "net.ipv4.ip_default_ttl=33");
            assertEquals("33", net.run(Side.CLIENT, "sysctl", "-n", "net.ipv4.ip_default_ttl").strip());
            assertEquals("64", net.run(Side.SERVER, "sysctl", "-n", "net.ipv4.ip_default_ttl").strip());
            assertEquals(ownTtl, Files.readString(TTL).strip(), "the JVM's own namespace changed");
            // What the lab set this way: the isp forwards, a host does not, and no veth does DAD.
            assertEquals("1", net.run(Side.ISP, "sysctl", "-n", "net.ipv6.conf.all.forwarding").strip());
            assertEquals("0", net.run(Side.CLIENT, "sysctl", "-n", "net.ipv4.ip_forward").strip());
            assertEquals("0", net.run(Side.ISP, "sysctl", "-n", "net.ipv6.conf.i1.accept_dad").strip());
        }
    }

    @Test
    void aSysctlThatDoesNotExistIsAClearError() throws Exception {
        Object before = inode(OWN);
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabException e = assertThrows(LabException.class,
                    () -> Sysctl.set(net.namespaceFile(Side.CLIENT), "net.ipv4.no_such_setting=1"));
            assertTrue(e.getMessage().startsWith("cannot set net.ipv4.no_such_setting=1 in " + net.namespaceFile(Side.CLIENT)),
                    e::getMessage);
        }
        assertEquals(before, inode(OWN), "the thread did not come back");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The threads of this JVM whose network namespace is not {@code own}. */
    private static List<String> threadsNotIn(Object own) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!own.equals(inode(t.resolve("ns/net")))) {
                        out.add(t.getFileName() + ":" + Files.readString(t.resolve("comm")).strip());
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static Object inode(Path nsFile) throws IOException {
        return Files.getAttribute(nsFile, "unix:ino");
    }
}
