package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Where the IP header (IPv4 or IPv6) starts in a captured frame; short or foreign frames are "not IP", never an exception. */
class LinkLayerTest {
    private static ByteBuffer frame(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length);
        for (int x : bytes) {
            b.put((byte) x);
        }
        return b.flip();
    }

    private static ByteBuffer ethernet(int... typesThenIp) {
        ByteBuffer b = ByteBuffer.allocate(12 + typesThenIp.length * 2 + 20);
        b.position(12);
        for (int t : typesThenIp) {
            b.putShort((short) t);
        }
        b.put((byte) 0x45);
        return b.position(0);
    }

    @Test
    void ethernetWithAndWithoutVlanTags() {
        assertEquals(14, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x0800)));
        assertEquals(18, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x8100, 0x0005, 0x0800)));
        assertEquals(22, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x88A8, 0x0005, 0x8100, 0x0006, 0x0800)));
        assertEquals(14, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x86DD)), "IPv6");
        assertEquals(18, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x8100, 0x0005, 0x86DD)), "IPv6 in a VLAN");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x0806)), "ARP");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x8100, 5, 0x8100, 6, 0x8100, 7, 0x0800)),
                "three tags");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x0800).limit(13)), "truncated");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, ethernet(0x8100).limit(16)), "truncated tag");
    }

    @Test
    void cookedCaptures() {
        ByteBuffer sll = ByteBuffer.allocate(36).putShort(14, (short) 0x0800);
        assertEquals(16, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL, sll));
        ByteBuffer sll2 = ByteBuffer.allocate(40).putShort(0, (short) 0x0800);
        assertEquals(20, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL2, sll2));
        assertEquals(16, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL, ByteBuffer.allocate(60).putShort(14, (short) 0x86DD)), "IPv6");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL, ByteBuffer.allocate(60).putShort(14, (short) 0x0806)));
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL2, ByteBuffer.allocate(10)));
    }

    @Test
    void rawAndLoopbackLinks() {
        assertEquals(0, LinkLayer.ipOffset(LinkLayer.DLT_RAW, frame(0x45, 0)));
        assertEquals(0, LinkLayer.ipOffset(LinkLayer.DLT_RAW, frame(0x60, 0)), "IPv6");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_IPV4, frame(0x60, 0)), "IPv6 on a link of IPv4 only");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_RAW, frame(0x50, 0)), "no such version");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_RAW, frame()), "empty");
        ByteBuffer nullLittle = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 2).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer nullBig = ByteBuffer.allocate(24).putInt(0, 2);
        assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_NULL, nullLittle), "the capturing host's order, either");
        assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_NULL, nullBig));
        assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_LOOP, nullBig));
        for (int af6 : new int[] {10, 23, 24, 28, 30}) { // Linux, Windows, Open/NetBSD, FreeBSD, macOS
            assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_NULL, ByteBuffer.allocate(44).putInt(0, af6)), "AF_INET6 " + af6);
        }
        assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_LOOP, ByteBuffer.allocate(44).putInt(0, 24)), "AF_INET6 on OpenBSD");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_NULL, ByteBuffer.allocate(44).putInt(0, 17)), "not an IP family");
    }

    @Test
    void unsupportedLinksAreNamedAndRefused() {
        assertFalse(LinkLayer.isSupported(105));
        assertEquals("DLT 105", LinkLayer.name(105));
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(105, ethernet(0x0800)));
        assertTrue(LinkLayer.isSupported(LinkLayer.DLT_EN10MB));
        assertEquals("EN10MB", LinkLayer.name(LinkLayer.DLT_EN10MB));
    }
}
