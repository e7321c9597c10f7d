package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The link layers other systems hand to pcap, decoded from captured bytes: the same UDP datagram
 * (10.99.1.2:40123 to 10.99.2.7:9, "rsock next-hop probe") as tcpdump recorded it on a Linux veth
 * (Ethernet) and on "any" (cooked v1 and v2, {@code tcpdump -y LINUX_SLL|LINUX_SLL2}), and with the
 * headers BSD loopback (DLT_NULL, in the capturing host's byte order: macOS lo0, Npcap's loopback
 * adapter), OpenBSD loopback (DLT_LOOP, network order) and Npcap on Wi-Fi (Ethernet II, or the
 * LLC/SNAP that 802.11 itself carries) put in front of it.
 */
class LinkLayerCapturedTest {
    /** The IPv4 packet itself, as captured. */
    static final String IP = "450000309ffb4000401182f30a6301020a6302079cbb0009001c17fc72736f636b206e6578742d686f702070726f6265";
    /** An IPv6 SYN as the Linux kernel sent it (rsock-api's vectors/tcp6-conversation.hex). */
    static final String IP6 = "6006401700280640fd000250000000000000000000000001fd000250000000000000000000000002edc8b26ee823b78e00000000"
            + "a002fd20d3a30000020405a00402080aa8d78fe6000000000103030a";
    /** tcpdump -i va (a veth): Ethernet II. */
    static final String ETHERNET = "020000000101020000000102" + "0800" + IP;
    /** tcpdump -i any -y LINUX_SLL: packet type 4 (outgoing), ARPHRD 1, address length 6, the MAC, protocol 0x0800. */
    static final String SLL = "0004" + "0001" + "0006" + "0200000001020000" + "0800" + IP;
    /** tcpdump -i any -y LINUX_SLL2: protocol 0x0800, reserved, ifindex, ARPHRD 1, packet type 4, length 6, the MAC. */
    static final String SLL2 = "0800" + "0000" + "00000002" + "0001" + "04" + "06" + "0200000001020000" + IP;

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    /** The packet the offset points at must be exactly the captured IPv4 packet. */
    private static void assertIpAt(int dlt, String frame) {
        ByteBuffer f = bytes(frame);
        int at = LinkLayer.ipOffset(dlt, f);
        assertEquals(IP, HexFormat.of().formatHex(f.array(), at, f.limit()), LinkLayer.name(dlt));
    }

    @Test
    void linuxEthernetAndCookedCapturesAsTcpdumpWroteThem() {
        assertIpAt(LinkLayer.DLT_EN10MB, ETHERNET);
        assertIpAt(LinkLayer.DLT_LINUX_SLL, SLL);
        assertIpAt(LinkLayer.DLT_LINUX_SLL2, SLL2);
        assertEquals(16, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL, bytes(SLL.replace("0006" + "0200000001020000" + "0800",
                "0006" + "0200000001020000" + "86dd"))), "IPv6 in cooked v1");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_LINUX_SLL, bytes(SLL.replace("0006" + "0200000001020000" + "0800",
                "0006" + "0200000001020000" + "0806"))), "ARP in cooked v1");
    }

    @Test
    void ipv6InEthernetAndInSnap() {
        ByteBuffer f = bytes("020000000101020000000102" + "86dd" + IP6);
        assertEquals(14, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB, f));
        int length = 8 + IP6.length() / 2;
        assertEquals(22, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB,
                bytes("a4b1c2d3e4f5" + "3c22fb0a1b2c" + String.format("%04x", length) + "aaaa03000000" + "86dd" + IP6)));
    }

    @Test
    void bsdLoopbackInEitherByteOrderAndOpenBsdLoop() {
        assertIpAt(LinkLayer.DLT_NULL, "02000000" + IP); // AF_INET from a little-endian host (macOS on x86 and ARM, Windows)
        assertIpAt(LinkLayer.DLT_NULL, "00000002" + IP); // from a big-endian one
        assertIpAt(LinkLayer.DLT_LOOP, "00000002" + IP);
        assertEquals(4, LinkLayer.ipOffset(LinkLayer.DLT_NULL, bytes("1e000000" + IP6)), "AF_INET6 (30) on macOS");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_LOOP, bytes("02000000" + IP)), "DLT_LOOP is network order only");
    }

    @Test
    void npcapOnWiFiEthernetTwoAndSnap() {
        // Npcap on a Wi-Fi adapter (no monitor mode) shows 802.11 data rewritten as Ethernet II, the AP's MAC as next hop.
        assertIpAt(LinkLayer.DLT_EN10MB, "a4b1c2d3e4f5" + "3c22fb0a1b2c" + "0800" + IP);
        // ...or as 802.3 with the LLC/SNAP header 802.11 carries: length, AA AA 03, OUI 00 00 00, type 0800.
        int length = 8 + IP.length() / 2;
        assertIpAt(LinkLayer.DLT_EN10MB, "a4b1c2d3e4f5" + "3c22fb0a1b2c" + String.format("%04x", length) + "aaaa03000000" + "0800" + IP);
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB,
                bytes("a4b1c2d3e4f5" + "3c22fb0a1b2c" + "0026" + "424203" + IP)), "802.3 with plain LLC (spanning tree)");
        assertEquals(LinkLayer.NOT_IP, LinkLayer.ipOffset(LinkLayer.DLT_EN10MB,
                bytes("a4b1c2d3e4f5" + "3c22fb0a1b2c" + "0026" + "aaaa03")), "SNAP cut short");
    }
}
