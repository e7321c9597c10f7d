package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.lab.Packets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows' rules, on Linux through a recording runner: one named netsh rule per drop, deleted by
 * that name on its own, at the end, and for a dead run.
 */
class NetshBackendTest {
    static final String RUN = "rsock_4242";
    static final String ADD = "netsh advfirewall firewall add rule name=";
    static final String DELETE = "netsh advfirewall firewall delete rule name=";

    @Test
    void eachDropIsANamedRuleDeletedByItsName() throws Exception {
        RecordingRunner r = new RecordingRunner();
        FirewallManager m = new FirewallManager(new NetshBackend(r, RUN), List.of());
        m.dropInbound(PacketFilter.tcpTo(10001)).close();
        m.dropInbound(PacketFilter.tcp(40000, Packets.inet("10.201.2.2"), 10001));
        m.dropInbound(new PacketFilter(PacketFilter.ICMP, 7, Packets.inet("10.201.2.2"), 0));
        m.closeAll();
        assertEquals(List.of(
                ADD + "rsock_4242-1 dir=in action=block protocol=TCP localport=10001",
                DELETE + "rsock_4242-1",
                ADD + "rsock_4242-2 dir=in action=block protocol=TCP localport=40000 remoteip=10.201.2.2 remoteport=10001",
                ADD + "rsock_4242-3 dir=in action=block protocol=icmpv4:8,any remoteip=10.201.2.2",
                DELETE + "rsock_4242-2",
                DELETE + "rsock_4242-3"), r.take());
        m.closeAll();
        assertEquals(List.of(), r.take(), "nothing left to remove");
    }

    @Test
    void aRefusedRuleSaysWhatToRun() {
        RecordingRunner r = new RecordingRunner(c -> new CommandRunner.Result(1, "The requested operation requires elevation (Run as administrator)."));
        TransportException e = assertThrows(TransportException.class, () -> new NetshBackend(r, RUN).install(PacketFilter.tcpTo(10001)));
        assertTrue(e.getMessage().contains("requires elevation") && e.getMessage().contains("--no-rules")
                && e.getMessage().contains(ADD + "rsock_4242-1 dir=in action=block protocol=TCP localport=10001"), e.getMessage());
    }

    @Test
    void aDeadRunsRulesAreDeletedWhateverTheLanguageOfTheListing() throws Exception {
        String listing = "\r\nNom de la règle:                      rsock_111-1\r\n----\r\nActivé:   Oui\r\n"
                + "Nom de la règle:                      rsock_111-2\r\n"
                + "Nom de la règle:                      rsock_222_1-1\r\n"
                + "Nom de la règle:                      rsock_4242-1\r\n"
                + "Nom de la règle:                      Core Networking - DNS (UDP-Out)\r\n";
        RecordingRunner r = new RecordingRunner(c -> c.endsWith("show rule name=all") ? new CommandRunner.Result(0, listing) : null);
        assertEquals(List.of("rsock_111-1", "rsock_111-2"), new NetshBackend(r, RUN).removeStale(pid -> pid == 222));
        assertEquals(List.of("netsh advfirewall firewall show rule name=all", DELETE + "rsock_111-1", DELETE + "rsock_111-2"), r.take());
    }

    @Test
    void noRulesPrintsTheNetshCommandsAndRunsNothing() throws Exception {
        RecordingRunner r = new RecordingRunner();
        FirewallManager m = new FirewallManager(new PrintOnlyBackend(new NetshBackend(r, RUN)), List.of());
        m.dropInbound(PacketFilter.tcpTo(10001));
        m.closeAll();
        assertEquals(List.of(), r.take());
        assertEquals(List.of(ADD + "rsock_4242-1 dir=in action=block protocol=UDP localport=5353   (elevated prompt)",
                DELETE + "rsock_4242-1   (when rsock has stopped)"), new NetshBackend(r, RUN).commandsFor(new PacketFilter(PacketFilter.UDP, 5353, null, 0)));
    }
}
