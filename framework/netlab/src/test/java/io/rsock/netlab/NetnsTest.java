package io.rsock.netlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A thread of this JVM enters a lab namespace, opens sockets there and comes back; none stays behind. */
class NetnsTest {
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");

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
    void aMissingNamespaceIsAClearError() throws Exception {
        Object before = inode(OWN);
        Path missing = Path.of("/var/run/netns/rsk-no-such-namespace");
        LabException e = assertThrows(LabException.class, () -> Netns.call(missing, () -> "never"));
        assertTrue(e.getMessage().startsWith("no network namespace at " + missing), e::getMessage);
        assertEquals(before, inode(OWN));
    }

    @Test
    void aThreadStartedInsideIsCaught() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabException e = assertThrows(LabException.class, () -> net.inside(Side.CLIENT, () -> {
                Thread t = new Thread(() -> awaitQuietly(release), "stray");
                t.start();
                started.add(t);
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object inode(Path nsFile) throws IOException {
        return Files.getAttribute(nsFile, "unix:ino");
    }
}
