package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.packet.PacketFilter;
import io.rsock.netlab.Side;
import io.rsock.packet.firewall.FirewallManager;
import io.rsock.packet.firewall.IptablesBackend;
import io.rsock.packet.firewall.NftablesBackend;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A killed run whose pid comes back (rsock as pid 1 of a container on the host's network, restarted)
 * left a table or chain with the very name the new run uses, which removeStale cannot tell from its
 * own. The new run must start from an empty table/chain, and leave nothing when it exits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReusedPidLeftoversTest extends OpenLabTest {
    private static final PacketFilter NEW_RULE = PacketFilter.tcp(10001, Packets.inet(Lab.CLIENT), 0);

    @Test
    void nftablesStartsFromAnEmptyTable() throws Exception {
        io.rsock.netlab.Shell.check(net.inNamespace(Side.SERVER, List.of("nft", "-f", "-")), """
                table inet rsock_77 {
                  chain input {
                    type filter hook input priority -10; policy accept;
                    tcp dport 9999 counter drop
                  }
                }
                """);
        NftablesBackend nft = new NftablesBackend(Lab.runnerIn(net, Side.SERVER), "rsock_77", 77);
        FirewallManager fw = new FirewallManager(nft, List.of(nft));
        fw.dropInbound(NEW_RULE);
        String table = net.run(Side.SERVER, "nft", "list", "table", "inet", "rsock_77");
        assertTrue(table.contains("tcp dport 10001"), table);
        assertFalse(table.contains("dport 9999"), "the dead run's rule is still dropping:\n" + table);
        fw.closeAll();
        assertFalse(net.run(Side.SERVER, "nft", "list", "tables").contains("rsock_77"));
    }

    @Test
    void iptablesStartsFromAnEmptyChainWithOneJump() throws Exception {
        net.run(Side.SERVER, "iptables", "-w", "-N", "rsock_78");
        net.run(Side.SERVER, "iptables", "-w", "-I", "INPUT", "1", "-m", "comment", "--comment", "rsock:78", "-j", "rsock_78");
        net.run(Side.SERVER, "iptables", "-w", "-A", "rsock_78", "-p", "tcp", "--dport", "9999", "-j", "DROP");
        IptablesBackend ipt = new IptablesBackend(Lab.runnerIn(net, Side.SERVER), "iptables", "rsock_78");
        FirewallManager fw = new FirewallManager(ipt, List.of(ipt));
        fw.dropInbound(NEW_RULE);
        String rules = net.run(Side.SERVER, "iptables", "-w", "-S");
        assertTrue(rules.contains("-A rsock_78 -s 10.201.1.2/32 -p tcp -m tcp --dport 10001"), rules);
        assertFalse(rules.contains("--dport 9999"), "the dead run's rule is still dropping:\n" + rules);
        assertEquals(1, count(rules, "-j rsock_78"), "one jump to the run's chain:\n" + rules);
        fw.closeAll();
        String after = net.run(Side.SERVER, "iptables", "-w", "-S");
        assertFalse(after.contains("rsock_78"), "the run's chain or jump outlived it:\n" + after);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
