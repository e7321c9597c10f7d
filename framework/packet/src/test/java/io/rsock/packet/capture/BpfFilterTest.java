package io.rsock.packet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.packet.PacketFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel filter text for sets of registrations. That libpcap compiles these expressions is
 * checked by {@code io.rsock.packet.lab.PacketLayerFilterUpdateTest}, on a real handle in a namespace.
 */
class BpfFilterTest {
    static final Inet4Address PEER = ip("10.0.0.2");

    @Test
    void nothingRegisteredMatchesNothing() {
        assertEquals("less 1", BpfFilter.build(List.of()));
        assertEquals(BpfFilter.MATCH_NOTHING, BpfFilter.build(List.of()));
    }

    @Test
    void tcpToALocalPortFromAnyone() {
        assertEquals("(tcp and dst port 10001)", BpfFilter.build(List.of(PacketFilter.tcpTo(10001))), "either family");
    }

    @Test
    void tcpFlowNamesBothPortsAndThePeer() {
        assertEquals("tcp and dst port 10001 and src host 10.0.0.2 and src port 443",
                BpfFilter.clause(PacketFilter.tcp(10001, PEER, 443)));
    }

    @Test
    void udpToAPortFromOnePeer() {
        assertEquals("udp and dst port 5000 and src host 10.0.0.2",
                BpfFilter.clause(new PacketFilter(PacketFilter.UDP, 5000, PEER, 0)));
    }

    @Test
    void icmpMatchesTheEchoIdentifierOnlyInEchoes() {
        assertEquals("icmp and src host 10.0.0.2 and (icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply)"
                        + " and icmp[4:2] == 4660",
                BpfFilter.clause(new PacketFilter(PacketFilter.ICMP, 0x1234, PEER, 0)));
        assertEquals("icmp", BpfFilter.clause(new PacketFilter(PacketFilter.ICMP, 0, null, 0)));
    }

    @Test
    void otherProtocolsByNumber() {
        assertEquals("ip proto 47 and src host 10.0.0.2", BpfFilter.clause(new PacketFilter(47, 0, PEER, 0)));
    }

    @Test
    void aSetIsTheUnionOfItsClausesInOrder() {
        String expr = BpfFilter.build(List.of(
                PacketFilter.tcp(10001, PEER, 443),
                new PacketFilter(PacketFilter.UDP, 5000, PEER, 0),
                new PacketFilter(PacketFilter.ICMP, 7, null, 0)));
        assertEquals("(tcp and dst port 10001 and src host 10.0.0.2 and src port 443)"
                + " or (udp and dst port 5000 and src host 10.0.0.2)"
                + " or (icmp and (icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply) and icmp[4:2] == 7)", expr);
    }

    @Test
    void duplicateClausesCollapse() {
        // Equal filters cannot both be registered, but equal clauses can come from unequal filters
        // only if the builder ignored a field; here the same filter twice must give one clause.
        assertEquals("(tcp and dst port 1)", BpfFilter.build(List.of(PacketFilter.tcpTo(1), PacketFilter.tcpTo(1))));
    }

    @Test
    void ipv6FlowsNameTheirPeerAndIcmpv6EchoesTheirIdentifier() throws Exception {
        InetAddress peer6 = InetAddress.getByName("fd00:201:2::2");
        assertEquals("tcp and dst port 10001 and src host fd00:201:2:0:0:0:0:2 and src port 443",
                BpfFilter.clause(PacketFilter.tcp(10001, peer6, 443)));
        assertEquals("icmp6 and src host fd00:201:2:0:0:0:0:2 and (ip6[40] == 128 or ip6[40] == 129) and ip6[44:2] == 4660",
                BpfFilter.clause(new PacketFilter(PacketFilter.ICMPV6, 0x1234, peer6, 0)));
        assertEquals("icmp6", BpfFilter.clause(new PacketFilter(PacketFilter.ICMPV6, 0, (InetAddress) null, 0)));
        assertEquals("ip6 proto 47 and src host fd00:201:2:0:0:0:0:2", BpfFilter.clause(new PacketFilter(47, 0, peer6, 0)));
    }

    @Test
    void tooBigMessagesJoinOnceSomethingIsRegistered() {
        assertEquals(BpfFilter.MATCH_NOTHING, BpfFilter.build(List.of(), true));
        assertEquals("(tcp and dst port 1) or " + BpfFilter.TOO_BIG, BpfFilter.build(List.of(PacketFilter.tcpTo(1)), true));
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
