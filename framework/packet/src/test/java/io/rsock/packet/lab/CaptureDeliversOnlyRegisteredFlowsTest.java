package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The capture hands a transport only the flows registered, and the kernel filter already throws the
 * rest away: other ports, other protocols and other peers never reach the capture thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CaptureDeliversOnlyRegisteredFlowsTest {

    @Test
    void onlyRegisteredFlowsAreCapturedAndDelivered() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabProcess server = Lab.receiver(net, Side.SERVER, Lab.SERVER_DEVICE, 20, 3,
                    "tcp:10001:" + Lab.CLIENT + ":0", "udp:5000:" + Lab.CLIENT + ":40001",
                    "tcp:10003:" + TestNetwork.ISP_SERVER_SIDE + ":0"); // a peer that never sends

            Lab.send(net, Side.CLIENT, Lab.CLIENT_DEVICE, "raw", 1,
                    "tcp:40000:" + Lab.SERVER + ":10001:wanted-tcp",
                    "tcp:40000:" + Lab.SERVER + ":10002:other-port",
                    "udp:40001:" + Lab.SERVER + ":5000:wanted-udp",
                    "udp:40002:" + Lab.SERVER + ":5000:other-source-port",
                    "udp:40001:" + Lab.SERVER + ":10001:other-protocol",
                    "tcp:40000:" + Lab.SERVER + ":10003:other-peer",
                    "tcp:40009:" + Lab.SERVER + ":10001:wanted-again");

            LabOutput got = Lab.result(server);
            assertEquals(List.of(
                    "tcp " + Lab.CLIENT + ":40000>10001 wanted-tcp",
                    "udp " + Lab.CLIENT + ":40001>5000 wanted-udp",
                    "tcp " + Lab.CLIENT + ":40009>10001 wanted-again"), got.strings("received"), got::toString);
            assertEquals(3, got.number("delivered"), got::toString);
            assertEquals(3, got.number("captured"), "the kernel filter let an unwanted packet through: " + got);
            assertEquals(0, got.number("unmatched"), got::toString);
        }
    }
}
