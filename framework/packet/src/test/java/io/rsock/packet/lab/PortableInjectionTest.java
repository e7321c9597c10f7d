package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.packet.inject.InjectWithoutProcMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pcap L2 injection with an empty neighbour cache and nothing of {@code /proc} to read, the
 * situation on macOS and Windows: the pcap injector as it was before the portable path (next hops
 * from {@code /proc/net/route} and {@code /proc/net/arp} only) drops every packet; the portable
 * path, which probes the next hop through the kernel's own frame, delivers every one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortableInjectionTest {
    private static final int COUNT = 50;

    @Test
    void withoutProcTheOldInjectorDropsEverythingAndThePortablePathNothing() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabProcess before = Lab.receiver(net, Side.SERVER, Lab.SERVER_DEVICE, 3, COUNT, "udp:5000:" + Lab.CLIENT + ":0");
            assertEquals(0, send(net, "no-proc", 5000), "no next hop to address the frames to");
            assertEquals(List.of(), Lab.result(before).strings("received"));

            LabProcess after = Lab.receiver(net, Side.SERVER, Lab.SERVER_DEVICE, 20, COUNT, "udp:5001:" + Lab.CLIENT + ":0");
            assertEquals(COUNT, send(net, "portable", 5001));
            assertEquals(COUNT, Lab.result(after).strings("received").size());
        }
    }

    /** Flushes the client's neighbour cache and sends {@link #COUNT} datagrams the {@code mode} way; returns how many went. */
    private static long send(TestNetwork net, String mode, int port) {
        net.run(Side.CLIENT, "ip", "neigh", "flush", "all");
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(InjectWithoutProcMain.class.getName()));
        cmd.addAll(List.of(Lab.CLIENT_DEVICE, Lab.SERVER, Integer.toString(port), Integer.toString(COUNT), mode));
        return LabOutput.parse(net.run(Side.CLIENT, cmd.toArray(String[]::new))).number("sent");
    }
}
