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

/** The nft commands behind FirewallManager: one table per run, named and commented so a user sees whose it is. */
class NftablesBackendTest {
    static final PacketFilter FLOW = PacketFilter.tcp(10001, Packets.inet("10.0.0.2"), 0);
    static final String TABLE_SCRIPT = """
            table inet rsock_4242
            delete table inet rsock_4242
            table inet rsock_4242 {
              comment "rsock-java run, pid 4242: kernel kept out of tunnel flows; removed when that run exits"
              chain input {
                type filter hook input priority -10; policy accept;
              }
            }
            """;

    final RecordingRunner runner = new RecordingRunner();
    final NftablesBackend nft = new NftablesBackend(runner, "rsock_4242", 4242);
    final FirewallManager manager = new FirewallManager(nft, List.of(nft));

    @Test
    void aRuleGoesInTheRunsOwnTable() throws Exception {
        manager.dropInbound(FLOW);
        assertEquals(List.of(
                "nft -f - <<\n" + TABLE_SCRIPT,
                "nft --echo --handle add rule inet rsock_4242 input ip saddr 10.0.0.2 tcp dport 10001 counter drop"), runner.take());
        assertEquals(List.of(FLOW), manager.installed());
        manager.dropInbound(PacketFilter.tcp(10002, Packets.inet("10.0.0.2"), 443));
        assertEquals(List.of("nft --echo --handle add rule inet rsock_4242 input ip saddr 10.0.0.2 tcp sport 443 tcp dport 10002 counter drop"),
                runner.take(), "the table is created once");
        manager.closeAll();
    }

    @Test
    void closingARegistrationDeletesThatRuleByItsHandle() throws Exception {
        Registration r = manager.dropInbound(FLOW);
        runner.take();
        r.close();
        r.close();
        assertEquals(List.of("nft delete rule inet rsock_4242 input handle 7"), runner.take());
        assertTrue(manager.installed().isEmpty());
        manager.closeAll();
    }

    @Test
    void closeAllDeletesTheWholeTableAndRulesMayFollow() throws Exception {
        Registration r = manager.dropInbound(FLOW);
        manager.dropInbound(new PacketFilter(PacketFilter.ICMP, 77, null, 0));
        runner.take();
        manager.closeAll();
        assertEquals(List.of("nft delete table inet rsock_4242"), runner.take());
        assertTrue(manager.installed().isEmpty());
        r.close(); // gone with the table already: no command
        manager.closeAll(); // nothing left: no command
        assertEquals(List.of(), runner.take());
        manager.dropInbound(FLOW);
        assertEquals(2, runner.take().size(), "a later rule creates the table again");
        manager.closeAll();
    }

    @Test
    void udpIcmpAndOtherProtocols() {
        assertEquals(List.of("ip", "saddr", "10.0.0.2", "udp", "dport", "5000", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(PacketFilter.UDP, 5000, Packets.inet("10.0.0.2"), 0)));
        assertEquals(List.of("icmp", "type", "echo-request", "icmp", "id", "77", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(PacketFilter.ICMP, 77, null, 0)));
        assertEquals(List.of("ip", "saddr", "10.0.0.2", "ip", "protocol", "tcp", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(PacketFilter.TCP, 0, Packets.inet("10.0.0.2"), 0)));
        assertEquals(List.of("ip", "saddr", "10.0.0.2", "ip", "protocol", "47", "counter", "drop"),
                NftablesBackend.ruleTokens(new PacketFilter(47, 0, Packets.inet("10.0.0.2"), 0)));
    }

    @Test
    void removeStaleDeletesTablesOfDeadRunsOnly() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> c.equals("nft list tables") ? new CommandRunner.Result(0, """
                table inet filter
                table inet rsock_111
                table ip rsock_222_1
                table inet rsock_333
                table inet rsock_4242
                table inet rsockish_5
                """) : null);
        NftablesBackend b = new NftablesBackend(r, "rsock_4242", 4242);
        List<String> removed = b.removeStale(pid -> pid == 333 || pid == 4242);
        assertEquals(List.of("inet rsock_111", "ip rsock_222_1"), removed);
        assertEquals(List.of("nft list tables", "nft delete table inet rsock_111", "nft delete table ip rsock_222_1"), r.take());
    }

    @Test
    void managerRemoveStaleAsksWhetherThePidLives() {
        long live = ProcessHandle.current().pid();
        RecordingRunner r = new RecordingRunner(c -> c.equals("nft list tables")
                ? new CommandRunner.Result(0, "table inet rsock_999999999\ntable inet rsock_" + live + "_9\n") : null);
        NftablesBackend b = new NftablesBackend(r, "rsock_4242", 4242);
        // 999999999 is above any pid_max: no such process can be alive.
        assertEquals(List.of("inet rsock_999999999"), new FirewallManager(b, List.of(b)).removeStale());
    }

    @Test
    void anOldNftWithoutTableCommentsGetsATableWithoutOne() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> c.equals("nft -f -") && first[0]++ == 0
                ? new CommandRunner.Result(1, "Error: syntax error, unexpected comment") : null);
        new NftablesBackend(r, "rsock_4242", 4242).install(FLOW);
        List<String> cmds = r.take();
        assertEquals(3, cmds.size(), cmds::toString);
        assertTrue(cmds.get(1).startsWith("nft -f - <<\ntable inet rsock_4242\ndelete table inet rsock_4242\ntable inet rsock_4242 {\n  chain input {"),
                cmds.get(1));
    }

    private final int[] first = {0};

    @Test
    void noPrivilegeSaysWhatToDo() {
        RecordingRunner r = new RecordingRunner(c -> new CommandRunner.Result(1, "Error: Could not process rule: Operation not permitted"));
        TransportException e = assertThrows(TransportException.class, () -> new NftablesBackend(r, "rsock_4242", 4242).install(FLOW));
        assertTrue(e.getMessage().contains("need root or cap_net_admin") && e.getMessage().contains("--no-rules"), e.getMessage());
    }

    @Test
    void commandsForTheUserToTypeThemselves() {
        assertEquals(List.of(
                "nft add table inet rsock_4242",
                "nft add chain inet rsock_4242 input '{ type filter hook input priority -10; policy accept; }'",
                "nft add rule inet rsock_4242 input ip saddr 10.0.0.2 tcp dport 10001 counter drop"), nft.commandsFor(FLOW));
    }
}
