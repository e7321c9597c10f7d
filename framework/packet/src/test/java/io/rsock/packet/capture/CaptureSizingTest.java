package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CaptureSizingTest {

    @Test
    void aDeviceThatCannotMergeGetsSlotsOfItsMtuInASmallRing() {
        // 8 192 slots of the MTU plus the link header and libpcap's own: 16 MiB mapped at MTU 1500.
        assertEquals(new CaptureSizing(1564, 8192 * 1564), CaptureSizing.forDevice(1500, false));
        assertEquals(2048, CaptureSizing.mappedSlotBytes(1564 + 128));
        // Jumbo frames: 16 KiB blocks, so 32 MiB hold 2 048 of them, fewer than 8 192.
        assertEquals(new CaptureSizing(9064, 2048 * 9064), CaptureSizing.forDevice(9000, false));
    }

    @Test
    void mergingOrAnUnknownOrHugeMtuKeepsWholePackets() {
        // Slots of 64 KiB: libpcap maps one per 128 KiB block, so 256 fill the 32 MiB the capture may take.
        CaptureSizing whole = new CaptureSizing(65535, 256 * 65535);
        assertEquals(128 << 10, CaptureSizing.mappedSlotBytes(65535 + 128));
        assertEquals(whole, CaptureSizing.forDevice(1500, true));
        assertEquals(whole, CaptureSizing.forDevice(0, false));
        assertEquals(whole, CaptureSizing.forDevice(65536, false)); // loopback
    }
}
