package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.capture.BpfFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-conn rule of the ICMP transport (a client's echo requests of one identifier), as each
 * backend and the capture filter render it. The exact commands were run against nft 1.0.6 and
 * iptables 1.8.9 in a namespace, which accepted them; the tests keep them from drifting.
 */
class IcmpRuleRenderingTest {
    private static final Inet4Address CLIENT = addr("10.201.2.1");
    private static final PacketFilter CONN = new PacketFilter(PacketFilter.ICMP, 14594, CLIENT, 0);

    @Test
    void nftablesMatchesAddressTypeAndIdentifier() {
        assertEquals(List.of("ip", "saddr", "10.201.2.1", "icmp", "type", "echo-request", "icmp", "id", "14594", "counter", "drop"),
                NftablesBackend.ruleTokens(CONN));
    }

    @Test
    void iptablesMatchesTheIdentifierWithU32() {
        assertEquals(List.of("-p", "icmp", "-s", "10.201.2.1/32", "--icmp-type", "echo-request", "-m", "u32", "--u32",
                "0>>22&0x3C@4>>16=14594", "-m", "comment", "--comment", RunName.tag("rsock_1"), "-j", "DROP"),
                IptablesBackend.ruleSpec(CONN, "rsock_1"));
    }

    @Test
    void withoutIdentifierOrAddressTheRuleIsEveryEchoRequest() {
        // Not what the ICMP transport installs (it would silence ordinary ping), but what such a filter means.
        assertEquals(List.of("icmp", "type", "echo-request", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(PacketFilter.ICMP, 0, null, 0)));
    }

    @Test
    void captureFilterOfTheServerAndOfAClientConn() {
        assertEquals("icmp", BpfFilter.clause(new PacketFilter(PacketFilter.ICMP, 0, null, 0)));
        assertEquals("icmp and src host 10.201.2.1 and (icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply)"
                + " and icmp[4:2] == 14594", BpfFilter.clause(CONN));
    }

    @Test
    void describedForTheLog() {
        assertEquals("icmp echo-request id 14594 from 10.201.2.1", FirewallManager.describe(CONN));
    }

    private static Inet4Address addr(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
