package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.packet.inject.PcapInjectorFollowsNeighbourMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pcap injector addresses frames to the next hop's MAC as the neighbour table says now, not as
 * it said at the first packet: a changed gateway MAC is followed within about a second.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PcapInjectorFollowsNeighbourTest {

    @Test
    void framesGoToTheMacTheNeighbourTableNamesNow() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabProcess server = Lab.receiver(net, Side.SERVER, Lab.SERVER_DEVICE, 15, 2, "udp:5000:" + Lab.CLIENT + ":0");
            List<String> cmd = new ArrayList<>(JavaCommand.forMain(PcapInjectorFollowsNeighbourMain.class.getName()));
            cmd.addAll(List.of(Lab.CLIENT_DEVICE, TestNetwork.ISP_CLIENT_SIDE, Lab.SERVER, "5000"));
            String sent = net.run(Side.CLIENT, cmd.toArray(String[]::new));
            assertEquals(true, sent.contains("RESULT {\"sent\":[true,true,true]}"), sent);
            LabOutput got = Lab.result(server);
            assertEquals(List.of("udp " + Lab.CLIENT + ":40000>5000 real-1", "udp " + Lab.CLIENT + ":40000>5000 real-2"),
                    got.strings("received"), got::toString);
        }
    }
}
