package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CaptureSizingTest {

    @Test
    void aDeviceThatCannotMergeGetsSlotsOfItsMtuInASmallRing() {
        assertEquals(new CaptureSizing(1564, 16 << 20), CaptureSizing.forDevice(1500, false));
        assertEquals(new CaptureSizing(9064, 16 << 20), CaptureSizing.forDevice(9000, false));
    }

    @Test
    void mergingOrAnUnknownOrHugeMtuKeepsWholePackets() {
        CaptureSizing whole = new CaptureSizing(65535, 64 << 20);
        assertEquals(whole, CaptureSizing.forDevice(1500, true));
        assertEquals(whole, CaptureSizing.forDevice(0, false));
        assertEquals(whole, CaptureSizing.forDevice(65536, false)); // loopback
    }
}
