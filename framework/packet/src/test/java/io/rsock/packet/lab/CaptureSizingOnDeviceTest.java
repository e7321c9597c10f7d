package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.packet.capture.CaptureSizing;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The capture asks the kernel whether the device merges packets: a veth leaves GRO off, so slots
 * the size of its MTU do; turned on with ethtool, whole 64 KiB packets come back.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CaptureSizingOnDeviceTest {

    @Test
    void slotsFollowTheDevicesGroSetting() {
        Lab.assumeAvailable();
        assumeTrue(Shell.hasCommand("ethtool"), "skipped: needs ethtool (apt-get install ethtool)");
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            net.run(Side.CLIENT, "ethtool", "-K", Lab.CLIENT_DEVICE, "gro", "off");
            LabOutput plain = LabOutput.parse(net.run(Side.CLIENT, Lab.main("sizing", Lab.CLIENT_DEVICE).toArray(String[]::new)));
            assertEquals(1500 + 64, plain.number("snaplen"), plain::toString);
            assertEquals(CaptureSizing.forDevice(1500, false).ringBytes(), plain.number("ringBytes"), plain::toString);

            net.run(Side.CLIENT, "ethtool", "-K", Lab.CLIENT_DEVICE, "gro", "on");
            LabOutput merged = LabOutput.parse(net.run(Side.CLIENT, Lab.main("sizing", Lab.CLIENT_DEVICE).toArray(String[]::new)));
            assertEquals(65535, merged.number("snaplen"), merged::toString);
            assertEquals(CaptureSizing.forDevice(1500, true).ringBytes(), merged.number("ringBytes"), merged::toString);
        }
    }
}
