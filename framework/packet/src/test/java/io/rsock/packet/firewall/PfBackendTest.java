package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import io.rsock.packet.lab.Packets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * macOS's rules, on Linux through a recording runner: the exact pfctl commands, the whole anchor
 * reloaded at each change, pf's enable reference taken once and given back, and every rule gone
 * at the end, after a failure, and for a dead run's anchor.
 */
class PfBackendTest {
    static final String RUN = "rsock_4242";
    static final String ANCHOR = "com.apple/rsock_4242";
    static final PacketFilter SERVER_PORT = PacketFilter.tcpTo(10001);
    static final PacketFilter CLIENT_FLOW = PacketFilter.tcp(40000, Packets.inet("10.201.2.2"), 10001);
    static final PacketFilter ECHO = new PacketFilter(PacketFilter.ICMP, 7, Packets.inet("10.201.2.2"), 0);

    /** pfctl as it answers on macOS: -E hands out a reference token. */
    static RecordingRunner pfctl() {
        return new RecordingRunner(c -> c.equals("pfctl -E") ? new CommandRunner.Result(0, "pf enabled\nToken : 9876543210") : null);
    }

    @Test
    void theRulesGoIntoTheRunsAnchorAndComeOutAgain() throws Exception {
        RecordingRunner r = pfctl();
        FirewallManager m = new FirewallManager(new PfBackend(r, RUN), List.of());
        Registration server = m.dropInbound(SERVER_PORT);
        m.dropInbound(CLIENT_FLOW);
        m.dropInbound(ECHO);
        assertEquals(List.of(
                "pfctl -E",
                "pfctl -a " + ANCHOR + " -f - <<\nblock drop in quick proto tcp from any to any port 10001\n",
                "pfctl -a " + ANCHOR + " -f - <<\nblock drop in quick proto tcp from any to any port 10001\n"
                        + "block drop in quick inet proto tcp from 10.201.2.2 port 10001 to any port 40000\n",
                "pfctl -a " + ANCHOR + " -f - <<\nblock drop in quick proto tcp from any to any port 10001\n"
                        + "block drop in quick inet proto tcp from 10.201.2.2 port 10001 to any port 40000\n"
                        + "block drop in quick inet proto icmp from 10.201.2.2 to any icmp-type echoreq\n"), r.take());
        server.close();
        assertEquals(List.of("pfctl -a " + ANCHOR + " -f - <<\nblock drop in quick inet proto tcp from 10.201.2.2 port 10001 to any port 40000\n"
                + "block drop in quick inet proto icmp from 10.201.2.2 to any icmp-type echoreq\n"), r.take());
        m.closeAll();
        assertEquals(List.of("pfctl -a " + ANCHOR + " -F rules", "pfctl -X 9876543210"), r.take());
        m.closeAll();
        assertEquals(List.of(), r.take(), "nothing left to remove");
    }

    @Test
    void aRuleOfAnIpv6PeerIsInet6AndAServersPortHoldsForBothFamilies() throws Exception {
        assertEquals("block drop in quick inet6 proto tcp from fd00:201:2:0:0:0:0:2 port 10001 to any port 40000",
                PfBackend.rule(PacketFilter.tcp(40000, java.net.InetAddress.getByName("fd00:201:2::2"), 10001)));
        assertEquals("block drop in quick inet6 proto ipv6-icmp from fd00:201:2:0:0:0:0:2 to any icmp6-type echoreq",
                PfBackend.rule(new PacketFilter(PacketFilter.ICMPV6, 7, java.net.InetAddress.getByName("fd00:201:2::2"), 0)));
        assertEquals("block drop in quick proto tcp from any to any port 10001", PfBackend.rule(SERVER_PORT), "no family: both");
    }

    @Test
    void theLastRuleRemovedFlushesTheAnchor() throws Exception {
        RecordingRunner r = pfctl();
        FirewallManager m = new FirewallManager(new PfBackend(r, RUN), List.of());
        m.dropInbound(SERVER_PORT).close();
        assertEquals("pfctl -a " + ANCHOR + " -F rules", r.take().get(2));
        m.closeAll();
        assertEquals(List.of("pfctl -X 9876543210"), r.take());
    }

    @Test
    void aRefusedLoadLeavesNoRuleAndSaysWhatToRun() {
        RecordingRunner r = new RecordingRunner(c -> c.equals("pfctl -E") ? new CommandRunner.Result(0, "Token : 5")
                : c.startsWith("pfctl -a") ? new CommandRunner.Result(1, "pfctl: Operation not permitted") : null);
        PfBackend pf = new PfBackend(r, RUN);
        TransportException e = assertThrows(TransportException.class, () -> pf.install(SERVER_PORT));
        assertTrue(e.getMessage().startsWith("cannot load pf anchor " + ANCHOR + ": pfctl: Operation not permitted"), e.getMessage());
        assertTrue(e.getMessage().contains("--no-rules"), e.getMessage());
    }

    @Test
    void aDeadRunsAnchorIsFlushedOursAndTheLivingAreNot() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> c.equals("pfctl -a com.apple -s Anchors")
                ? new CommandRunner.Result(0, "  com.apple/250.ApplicationFirewall\n  com.apple/rsock_111\n  com.apple/rsock_222_1\n"
                        + "  com.apple/rsock_4242\n") : null);
        List<String> removed = new PfBackend(r, RUN).removeStale(pid -> pid == 222);
        assertEquals(List.of("com.apple/rsock_111"), removed);
        assertEquals(List.of("pfctl -a com.apple -s Anchors", "pfctl -a com.apple/rsock_111 -F rules"), r.take());
    }

    @Test
    void noRulesPrintsThePfCommandsAndRunsNothing() throws Exception {
        RecordingRunner r = pfctl();
        FirewallManager m = new FirewallManager(new PrintOnlyBackend(new PfBackend(r, RUN)), List.of());
        m.dropInbound(CLIENT_FLOW);
        m.closeAll();
        assertEquals(List.of(), r.take());
        assertEquals(List.of("echo 'block drop in quick inet proto tcp from 10.201.2.2 port 10001 to any port 40000' | sudo pfctl -a "
                        + ANCHOR + " -f -   (with the run's other rules in one go: -f replaces them)",
                "sudo pfctl -E   (enables pf; remove the rules with: sudo pfctl -a " + ANCHOR + " -F rules)"),
                new PfBackend(r, RUN).commandsFor(CLIENT_FLOW));
    }
}
