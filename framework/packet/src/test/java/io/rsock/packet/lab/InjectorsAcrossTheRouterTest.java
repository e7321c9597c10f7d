package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both injectors deliver whole IPv4 packets built by a transport across the isp router: the raw
 * socket (the kernel routes and resolves the neighbour) and pcap L2 (we address the Ethernet frame
 * to the next hop's MAC ourselves). The server's capture gets them with their payloads intact.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InjectorsAcrossTheRouterTest extends OpenLabTest {
    @ParameterizedTest
    @ValueSource(strings = {"raw", "pcap", "raw:heap", "raw:direct", "pcap:heap", "pcap:direct", "raw:batch", "pcap:batch"})
    void packetsCrossTheRouterIntact(String injectorAndBuffer) {
        // ":heap"/":direct": sent from the middle of a larger buffer, so only position..limit may go out.
        // ":batch": all six in one send(packets, count), one sendmmsg for the raw socket.
        String injector = injectorAndBuffer.split(":")[0];
        int variant = List.of("raw", "pcap", "raw:heap", "raw:direct", "pcap:heap", "pcap:direct", "raw:batch", "pcap:batch").indexOf(injectorAndBuffer);
        int tcpPort = 10001 + variant;
        int udpPort = 5000 + variant;
        LabProcess server = Lab.receiver(net, Side.SERVER, Lab.SERVER_DEVICE, 20, 6,
                "tcp:" + tcpPort + ":" + Lab.CLIENT + ":0", "udp:" + udpPort + ":" + Lab.CLIENT + ":0");

        LabOutput sent = Lab.send(net, Side.CLIENT, Lab.CLIENT_DEVICE, injectorAndBuffer, 3,
                "tcp:40000:" + Lab.SERVER + ":" + tcpPort + ":via-" + injector, "udp:40001:" + Lab.SERVER + ":" + udpPort + ":dgram-" + injector);
        assertEquals(injector, sent.string("injector"));
        assertEquals(Lab.CLIENT, sent.string("source"));
        assertEquals(6, sent.number("sent"), sent::toString);

        LabOutput got = Lab.result(server);
        List<String> received = got.strings("received");
        String tcp = "tcp " + Lab.CLIENT + ":40000>" + tcpPort + " via-" + injector;
        String udp = "udp " + Lab.CLIENT + ":40001>" + udpPort + " dgram-" + injector;
        assertEquals(3, Collections.frequency(received, tcp), got::toString);
        assertEquals(3, Collections.frequency(received, udp), got::toString);
        assertEquals(6, received.size(), got::toString);
        assertTrue(got.number("malformed") == 0, got::toString);
    }
}
