package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivilegesTest {
    @Test
    void rootAndTheTwoCapabilitiesPassAnythingLessSaysWhatIsMissing() {
        assertNull(Privileges.missing(0x3fffffffffL, true), "root");
        assertNull(Privileges.missing((1L << 12) | (1L << 13), true), "exactly the two");
        assertNull(Privileges.missing(1L << 13, false), "--no-rules needs only CAP_NET_RAW");
        String none = Privileges.missing(0L, true);
        assertTrue(none.startsWith("raw packets need CAP_NET_RAW and CAP_NET_ADMIN"), none);
        assertTrue(Privileges.missing(1L << 13, true).contains("need CAP_NET_ADMIN,"));
        assertTrue(Privileges.missing(1L << 12, true).contains("need CAP_NET_RAW,"));
        assertNull(Privileges.missing(null, true), "unknown (not Linux): left to the system calls");
    }

    @Test
    void readsTheEffectiveSetOfAProcStatusFile(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t0000000000003000\nCapEff:\t0000000000003000\n");
        assertEquals(0x3000L, Privileges.effectiveCapabilities(status));
        assertNull(Privileges.effectiveCapabilities(dir.resolve("missing")));
    }
}
