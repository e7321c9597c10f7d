package io.rsock.packet.lab;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.TestNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class whose tests share one client–isp–server network with the {@code open} profile, made
 * once before them (or the class skips where namespaces cannot be made) and removed after them.
 */
abstract class OpenLabTest {
    static TestNetwork net;

    @BeforeAll
    static void lab() {
        Lab.assumeAvailable();
        net = TestNetwork.create(IspProfile.OPEN);
    }

    @AfterAll
    static void cleanup() {
        if (net != null) {
            net.close();
            net = null;
        }
    }
}
