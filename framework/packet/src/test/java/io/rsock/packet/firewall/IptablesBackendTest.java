package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import io.rsock.packet.lab.Packets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables fallback: the run's own chain, jumped to from INPUT, every rule tagged with the run. */
class IptablesBackendTest {
    static final PacketFilter FLOW = PacketFilter.tcp(10001, Packets.inet("10.0.0.2"), 0);
    static final String RULE = "-p tcp -s 10.0.0.2/32 --dport 10001 -m comment --comment rsock:4242 -j DROP";

    final RecordingRunner runner = new RecordingRunner();
    final IptablesBackend ipt = new IptablesBackend(runner, "iptables", "rsock_4242");
    final FirewallManager manager = new FirewallManager(ipt, List.of(ipt));

    @Test
    void aRuleGoesInTheRunsOwnChain() throws Exception {
        manager.dropInbound(FLOW);
        assertEquals(List.of(
                "iptables -w -N rsock_4242",
                "iptables -w -I INPUT 1 -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -A rsock_4242 " + RULE), runner.take());
        manager.dropInbound(new PacketFilter(PacketFilter.UDP, 5000, null, 0));
        assertEquals(List.of("iptables -w -A rsock_4242 -p udp --dport 5000 -m comment --comment rsock:4242 -j DROP"), runner.take(),
                "the chain and the jump are added once");
        manager.closeAll();
    }

    @Test
    void closingARegistrationDeletesExactlyItsSpec() throws Exception {
        Registration r = manager.dropInbound(FLOW);
        runner.take();
        r.close();
        assertEquals(List.of("iptables -w -D rsock_4242 " + RULE), runner.take());
        manager.closeAll();
    }

    @Test
    void closeAllRemovesTheJumpAndTheChain() throws Exception {
        manager.dropInbound(FLOW);
        runner.take();
        manager.closeAll();
        assertEquals(List.of(
                "iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -F rsock_4242",
                "iptables -w -X rsock_4242"), runner.take());
        manager.closeAll();
        assertEquals(List.of(), runner.take());
    }

    @Test
    void icmpEchoIdentifierThroughU32() {
        assertEquals(List.of("-p", "icmp", "-s", "10.0.0.2/32", "--icmp-type", "echo-request", "-m", "u32", "--u32", "0>>22&0x3C@4>>16=77",
                        "-m", "comment", "--comment", "rsock:4242", "-j", "DROP"),
                IptablesBackend.ruleSpec(new PacketFilter(PacketFilter.ICMP, 77, Packets.inet("10.0.0.2"), 0), "rsock_4242"));
    }

    @Test
    void removeStaleDeletesChainsOfDeadRunsOnly() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> c.equals("iptables -w -S") ? new CommandRunner.Result(0, """
                -P INPUT ACCEPT
                -N rsock_111
                -N rsock_333
                -N rsock_4242
                -N other
                -A INPUT -m comment --comment rsock:111 -j rsock_111
                -A rsock_111 -p tcp --dport 1 -m comment --comment rsock:111 -j DROP
                """) : null);
        IptablesBackend b = new IptablesBackend(r, "iptables", "rsock_4242");
        assertEquals(List.of("rsock_111"), b.removeStale(pid -> pid == 333 || pid == 4242));
        assertEquals(List.of("iptables -w -S",
                "iptables -w -D INPUT -m comment --comment rsock:111 -j rsock_111",
                "iptables -w -F rsock_111",
                "iptables -w -X rsock_111"), r.take());
    }

    @Test
    void aFailedJumpTakesTheNewChainAway() {
        RecordingRunner r = new RecordingRunner(c -> c.startsWith("iptables -w -I INPUT") ? new CommandRunner.Result(1, "iptables: Permission denied") : null);
        IptablesBackend b = new IptablesBackend(r, "iptables", "rsock_4242");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> b.install(FLOW));
        assertTrue(e.getMessage().contains("need root or cap_net_admin"), e.getMessage());
        List<String> cmds = r.take();
        assertEquals("iptables -w -X rsock_4242", cmds.get(cmds.size() - 1), cmds::toString);
    }

    @Test
    void aLeftoverChainWithOurNameIsEmptiedAndLosesItsJumps() throws Exception {
        int[] jumps = {2}; // a killed run with our pid, restarted twice
        RecordingRunner r = new RecordingRunner(c -> c.equals("iptables -w -N rsock_4242") ? new CommandRunner.Result(1, "iptables: Chain already exists.")
                : c.equals("iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242")
                ? new CommandRunner.Result(jumps[0]-- > 0 ? 0 : 1, "Bad rule (does a matching rule exist in that chain?).") : null);
        new IptablesBackend(r, "iptables", "rsock_4242").install(FLOW);
        assertEquals(List.of(
                "iptables -w -N rsock_4242",
                "iptables -w -F rsock_4242",
                "iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -D INPUT -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -I INPUT 1 -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -w -A rsock_4242 " + RULE), r.take());
    }

    @Test
    void commandsForTheUserToTypeThemselves() {
        assertEquals(List.of(
                "iptables -N rsock_4242",
                "iptables -I INPUT 1 -m comment --comment rsock:4242 -j rsock_4242",
                "iptables -A rsock_4242 " + RULE), ipt.commandsFor(FLOW));
    }
}
