package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.packet.firewall.FirewallManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real nftables backend, run in the server's namespace: the drop rule shows in the ruleset in
 * rsock's own table, really keeps the kernel from answering (no RST for a port without a socket),
 * and closeAll leaves no trace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirewallRulesInNamespaceTest extends OpenLabTest {
    @Test
    void aDropRuleIsInstalledInRsocksTableAndCloseAllRemovesIt() throws Exception {
        FirewallManager fw = FirewallManager.create(FirewallManager.Backend.NFTABLES, Lab.runnerIn(net, Side.SERVER));
        try {
            Registration rule = fw.dropInbound(PacketFilter.tcp(10001, Packets.inet(Lab.CLIENT), 0));
            fw.dropInbound(new PacketFilter(PacketFilter.ICMP, 4660, null, 0));
            String ruleset = net.run(Side.SERVER, "nft", "list", "ruleset");
            String table = "table inet rsock_" + ProcessHandle.current().pid();
            assertTrue(ruleset.contains(table), ruleset);
            assertTrue(ruleset.contains("comment \"rsock-java run, pid " + ProcessHandle.current().pid()), ruleset);
            assertTrue(ruleset.contains("type filter hook input priority"), ruleset);
            assertTrue(ruleset.contains("ip saddr " + Lab.CLIENT + " tcp dport 10001 counter packets 0 bytes 0 drop"), ruleset);
            assertTrue(ruleset.contains("icmp type echo-request icmp id 4660 counter packets 0 bytes 0 drop"), ruleset);

            rule.close();
            String after = net.run(Side.SERVER, "nft", "list", "ruleset");
            assertFalse(after.contains("tcp dport 10001"), "the closed rule is still there:\n" + after);
            assertTrue(after.contains("icmp id 4660"), "closing one rule took another:\n" + after);

            fw.closeAll();
            String none = net.run(Side.SERVER, "nft", "list", "ruleset");
            assertFalse(none.contains("rsock_"), "closeAll left rsock's table:\n" + none);
        } finally {
            fw.closeAll();
        }
    }

    @Test
    void theRuleKeepsTheKernelFromAnsweringWithRst() throws Exception {
        // Without the rule the server's kernel answers a segment to a port with no socket with RST.
        assertEquals(1, rstsFor(10002), "no RST without the rule: the check below would prove nothing");
        FirewallManager fw = FirewallManager.create(FirewallManager.Backend.NFTABLES, Lab.runnerIn(net, Side.SERVER));
        try {
            fw.dropInbound(PacketFilter.tcp(10003, Packets.inet(Lab.CLIENT), 0));
            assertEquals(0, rstsFor(10003), "the kernel answered although rsock's rule drops the flow");
            String ruleset = net.run(Side.SERVER, "nft", "list", "table", "inet", "rsock_" + ProcessHandle.current().pid());
            assertTrue(ruleset.contains("counter packets 1 "), "the rule did not count the segment:\n" + ruleset);
        } finally {
            fw.closeAll();
        }
    }

    /** Sends one segment client -> server:port and counts the server's answers captured at the client. */
    private static int rstsFor(int port) {
        LabProcess client = Lab.receiver(net, Side.CLIENT, Lab.CLIENT_DEVICE, 2, 1, "tcp:40000:" + Lab.SERVER + ":" + port);
        Lab.send(net, Side.CLIENT, Lab.CLIENT_DEVICE, "raw", 1, "tcp:40000:" + Lab.SERVER + ":" + port + ":hello");
        List<String> answers = Lab.result(client).strings("received");
        return answers.size();
    }
}
