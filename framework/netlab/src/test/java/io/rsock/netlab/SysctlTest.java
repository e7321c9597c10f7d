package io.rsock.netlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sysctl the JVM writes lands in the namespace its thread entered: not in the JVM's own, nor in another lab namespace. */
class SysctlTest {
    private static final Path TTL = Path.of("/proc/sys/net/ipv4/ip_default_ttl");
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");

    @BeforeAll
    static void needsTheLab() {
        String reason = TestNetwork.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: " + reason);
    }

    @Test
    void aSettingWrittenFromTheJvmLandsInTheNamespaceOnly() throws Exception {
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
    void aSettingThatDoesNotExistIsAClearError() throws Exception {
        Object before = Files.getAttribute(OWN, "unix:ino");
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabException e = assertThrows(LabException.class,
                    () -> Sysctl.set(net.namespaceFile(Side.CLIENT), "net.ipv4.no_such_setting=1"));
            assertTrue(e.getMessage().startsWith("cannot set net.ipv4.no_such_setting=1 in " + net.namespaceFile(Side.CLIENT)),
                    e::getMessage);
        }
        assertEquals(before, Files.getAttribute(OWN, "unix:ino"), "the thread did not come back");
    }
}
