package io.rsock.packet.link;

import static io.rsock.packet.link.RecordedFrames.ARP_REPLY;
import static io.rsock.packet.link.RecordedFrames.ARP_REQUEST;
import static io.rsock.packet.link.RecordedFrames.DATAGRAM;
import static io.rsock.packet.link.RecordedFrames.LOCAL;
import static io.rsock.packet.link.RecordedFrames.OUR_MAC;
import static io.rsock.packet.link.RecordedFrames.PEER;
import static io.rsock.packet.link.RecordedFrames.ROUTER;
import static io.rsock.packet.link.RecordedFrames.ROUTER_MAC;
import static io.rsock.packet.link.RecordedFrames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The next hop read from the frames the kernel sent, as tcpdump recorded them. */
class LinkFramesTest {
    @Test
    void theKernelsDatagramNamesTheNextHopAndUs() {
        ByteBuffer f = frame(DATAGRAM);
        assertTrue(LinkFrames.isDatagram(f, LOCAL, 40123, PEER, 9));
        assertEquals(ROUTER_MAC, LinkFrames.destination(f));
        assertEquals(OUR_MAC, LinkFrames.source(f));
        assertEquals("02:00:00:00:01:01", MacAddress.format(LinkFrames.destination(f)));
    }

    @Test
    void onlyThatDatagramCounts() {
        ByteBuffer f = frame(DATAGRAM);
        assertFalse(LinkFrames.isDatagram(f, LOCAL, 40124, PEER, 9), "another socket's");
        assertFalse(LinkFrames.isDatagram(f, LOCAL, 40123, PEER + 1, 9), "to another host");
        assertFalse(LinkFrames.isDatagram(f, LOCAL, 40123, PEER, 10), "to another port");
        assertFalse(LinkFrames.isDatagram(frame(ARP_REPLY), LOCAL, 40123, PEER, 9), "ARP");
        assertFalse(LinkFrames.isDatagram(frame(DATAGRAM).limit(40), LOCAL, 40123, PEER, 9), "cut short");
        ByteBuffer fragment = frame(DATAGRAM);
        fragment.putShort(14 + 6, (short) 0x0010); // a later fragment: no UDP header where the ports would be
        assertFalse(LinkFrames.isDatagram(fragment, LOCAL, 40123, PEER, 9));
    }

    @Test
    void theRoutersArpReplyNamesItsAddress() {
        LinkFrames.ArpAnswer a = LinkFrames.arpReply(frame(ARP_REPLY));
        assertEquals(new LinkFrames.ArpAnswer(ROUTER, ROUTER_MAC), a);
        assertNull(LinkFrames.arpReply(frame(ARP_REQUEST)), "a request is no answer");
        assertNull(LinkFrames.arpReply(frame(DATAGRAM)), "IPv4");
        assertNull(LinkFrames.arpReply(frame(ARP_REPLY).limit(41)), "cut short");
    }

    @Test
    void ourArpRequestIsTheKernelsByteForByte() {
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = LinkFrames.arpRequest(out, OUR_MAC, LOCAL, ROUTER);
        assertEquals(ARP_REQUEST, HexFormat.of().formatHex(out.array(), 0, length));
    }
}
