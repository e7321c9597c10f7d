package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The capture thread is shared by every transport, so a receiver that throws costs one packet (and
 * a count), not the capture; a receiver may register from inside its callback; a closed layer
 * refuses registrations and sends instead of failing obscurely.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CaptureSurvivesItsReceiversTest {

    @Test
    void aThrowingReceiverCostsOnePacketAndCallbacksMayRegister() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabProcess server = Lab.started(net.start(Side.SERVER, "robust", Lab.main("robust", Lab.SERVER_DEVICE, "20")));
            Lab.send(net, Side.CLIENT, Lab.CLIENT_DEVICE, "raw", 1,
                    "tcp:40000:" + Lab.SERVER + ":10001:boom", "tcp:40000:" + Lab.SERVER + ":10001:ok");
            // A second sender starts well after the callback registered port 10002.
            Lab.send(net, Side.CLIENT, Lab.CLIENT_DEVICE, "raw", 1, "tcp:40000:" + Lab.SERVER + ":10002:second");

            LabOutput got = Lab.result(server);
            assertEquals(List.of("tcp " + Lab.CLIENT + ":40000>10001 ok", "tcp " + Lab.CLIENT + ":40000>10002 second"),
                    got.strings("received"), got::toString);
            assertEquals(1, got.number("receiverErrors"), got::toString);
            assertTrue(got.string("registerAfterClose").contains("closed"), got::toString);
            assertEquals("false", got.string("sendAfterClose"), got::toString);
        }
    }
}
