package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of IPv6 flows as each backend renders them, and a server's port rule covering both
 * families. The nft and ip6tables commands were run against nft 1.0.6 and ip6tables 1.8.9 in a
 * namespace, which accepted them (ip6tables lists the u32 match as {@code "0x2c>>0x10=0x3902"}); the
 * tests keep them from drifting.
 */
class Ipv6RuleRenderingTest {
    private static final InetAddress SERVER6 = address("fd00:201:2::2");
    private static final PacketFilter CLIENT_FLOW = PacketFilter.tcp(40000, SERVER6, 10001);
    private static final PacketFilter ECHO_CONN = new PacketFilter(PacketFilter.ICMPV6, 14594, SERVER6, 0);

    @Test
    void nftablesNamesTheFamilyOfThePeerAndIcmpv6ByItsOwnName() {
        assertEquals(List.of("ip6", "saddr", "fd00:201:2:0:0:0:0:2", "tcp", "sport", "10001", "tcp", "dport", "40000", "counter", "drop"),
                NftablesBackend.ruleTokens(CLIENT_FLOW));
        assertEquals(List.of("ip6", "saddr", "fd00:201:2:0:0:0:0:2", "icmpv6", "type", "echo-request", "icmpv6", "id", "14594",
                "counter", "drop"), NftablesBackend.ruleTokens(ECHO_CONN));
        assertEquals(List.of("ip6", "saddr", "fd00:201:2:0:0:0:0:2", "meta", "l4proto", "tcp", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(PacketFilter.TCP, 0, SERVER6, 0)));
        assertEquals(List.of("tcp", "dport", "10001", "counter", "drop"), NftablesBackend.ruleTokens(PacketFilter.tcpTo(10001)),
                "the inet table: a port of both families");
    }

    @Test
    void ip6tablesTakesIpv6RulesAndAServersPortGoesToBoth() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        IptablesBackend both = new IptablesBackend(runner, "iptables", "ip6tables", "rsock_4242");
        FirewallManager m = new FirewallManager(both, List.of(both));
        Registration flow = m.dropInbound(CLIENT_FLOW);
        assertEquals(List.of(
                "ip6tables -w -N rsock_4242",
                "ip6tables -w -I INPUT 1 -m comment --comment rsock:4242 -j rsock_4242",
                "ip6tables -w -A rsock_4242 -p tcp -s fd00:201:2:0:0:0:0:2/128 --sport 10001 --dport 40000 -m comment --comment rsock:4242 -j DROP"),
                runner.take(), "an IPv6 peer: ip6tables only");
        m.dropInbound(PacketFilter.tcpTo(10001));
        assertEquals(List.of(
                "iptables -w -N rsock_4242",
                "iptables -w -I INPUT 1 -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -A rsock_4242 -p tcp --dport 10001 -m comment --comment rsock:4242 -j DROP",
                "ip6tables -w -A rsock_4242 -p tcp --dport 10001 -m comment --comment rsock:4242 -j DROP"), runner.take(),
                "any peer: both families, each chain made once");
        flow.close();
        assertEquals(List.of("ip6tables -w -D rsock_4242 -p tcp -s fd00:201:2:0:0:0:0:2/128 --sport 10001 --dport 40000 -m comment "
                + "--comment rsock:4242 -j DROP"), runner.take());
        m.closeAll();
        assertEquals(List.of(
                "iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242", "iptables -w -F rsock_4242", "iptables -w -X rsock_4242",
                "ip6tables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242", "ip6tables -w -F rsock_4242", "ip6tables -w -X rsock_4242"),
                runner.take());
        assertEquals(List.of("-p", "ipv6-icmp", "-s", "fd00:201:2:0:0:0:0:2/128", "--icmpv6-type", "echo-request", "-m", "u32", "--u32",
                "44>>16=14594", "-m", "comment", "--comment", "rsock:1", "-j", "DROP"), IptablesBackend.ruleSpec(ECHO_CONN, "rsock_1", true));
    }

    @Test
    void withoutIp6tablesAnIpv6RuleSaysWhatToInstallAndAPortRuleStaysIpv4() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        IptablesBackend v4 = new IptablesBackend(runner, "iptables", null, "rsock_4242");
        TransportException e = assertThrows(TransportException.class, () -> v4.install(CLIENT_FLOW));
        assertTrue(e.getMessage().contains("ip6tables is not installed"), e.getMessage());
        v4.install(PacketFilter.tcpTo(10001));
        assertTrue(runner.take().stream().noneMatch(c -> c.startsWith("ip6tables")));
    }

    @Test
    void netshAndTheLogLine() {
        assertEquals(List.of("netsh", "advfirewall", "firewall", "add", "rule", "name=r-1", "dir=in", "action=block", "protocol=icmpv6:128,any",
                "remoteip=fd00:201:2:0:0:0:0:2"), NetshBackend.addCommand("r-1", ECHO_CONN));
        assertEquals("icmpv6 echo-request id 14594 from fd00:201:2:0:0:0:0:2", FirewallManager.describe(ECHO_CONN));
        assertEquals("tcp to port 40000 from fd00:201:2:0:0:0:0:2:10001", FirewallManager.describe(CLIENT_FLOW));
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
