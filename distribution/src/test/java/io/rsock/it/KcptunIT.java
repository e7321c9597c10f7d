package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.KcptunTransfer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real kcptun from Debian on top of rsock: a bounded TCP transfer arrives intact. */
class KcptunIT {
    static final long BYTES = 20_000_000;

    @BeforeAll
    static void needsTheLabAndKcptun() {
        RsockLab.assumeLab();
        RsockLab.assumeCommand("kcptun-client");
        RsockLab.assumeCommand("kcptun-server");
    }

    @Test
    void twentyMegabytesThroughKcptunOverTheUdpTransport() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "kcptun-udp-open")) {
            lab.serverTo(RsockLab.KCPTUN_PORT, "udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer()) {
                KcptunTransfer.Result t = lab.kcptunTransfer(BYTES, 120);
                System.out.printf("open, kcptun over rsock udp: 20 MB in %.1f s (%.1f Mbit/s), intact: %s%n", t.seconds(), t.mbps(BYTES),
                        t.intact());
                assertTrue(t.intact(), () -> "sent " + t.sent() + " received " + t.received());
            }
        }
    }
}
