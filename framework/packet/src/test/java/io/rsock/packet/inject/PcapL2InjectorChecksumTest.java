package io.rsock.packet.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Checksum;
import io.rsock.packet.lab.Packets;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The header checksum the pcap injector fills in (a raw socket's kernel would), behind a link header. */
class PcapL2InjectorChecksumTest {
    @Test
    void fillsAValidHeaderChecksumAtAnOffset() {
        ByteBuffer ip = Packets.tcp("10.0.0.1", 1, "10.0.0.2", 2, "payload");
        int expected = ip.getShort(10) & 0xFFFF;
        ByteBuffer frame = ByteBuffer.allocate(14 + ip.remaining());
        frame.put(14, ip, 0, ip.remaining());
        frame.putShort(14 + 10, (short) 0xBEEF); // whatever the transport left there
        PcapL2Injector.fillIpv4Checksum(frame, 14);
        assertEquals(expected, frame.getShort(14 + 10) & 0xFFFF);
        assertTrue(Checksum.verifyIpv4Header(frame, 14));
    }

    @Test
    void coversHeaderOptions() {
        ByteBuffer b = ByteBuffer.allocate(24);
        b.put(0, (byte) 0x46).putShort(2, (short) 24).put(8, (byte) 64).put(9, (byte) 6).putInt(12, 0x0A000001).putInt(16, 0x0A000002)
                .putInt(20, 0x01010100); // NOP NOP NOP EOL
        PcapL2Injector.fillIpv4Checksum(b, 0);
        assertTrue(Checksum.verifyIpv4Header(b, 0));
    }
}
