package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.lab.Packets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Choosing the backend, --no-rules, and the rules the manager refuses to install. */
class FirewallManagerTest {
    static final PacketFilter FLOW = PacketFilter.tcp(10001, Packets.inet("10.0.0.2"), 0);

    @Test
    void autoPrefersNftablesAndNamesTheTableForThisProcess() throws Exception {
        RecordingRunner r = new RecordingRunner();
        FirewallManager m = FirewallManager.create(FirewallManager.Backend.AUTO, r);
        assertEquals("nftables", m.backendName());
        m.dropInbound(FLOW);
        String script = r.commands.get(0);
        Pattern ours = Pattern.compile("(?s)nft -f - <<\n.*table inet rsock_" + ProcessHandle.current().pid() + "(_\\d+)? \\{\n"
                + "  comment \"rsock-java run, pid " + ProcessHandle.current().pid() + ":.*");
        assertTrue(ours.matcher(script).matches(), script);
        m.closeAll();
        assertTrue(r.commands.get(r.commands.size() - 1).startsWith("nft delete table inet rsock_" + ProcessHandle.current().pid()));
    }

    @Test
    void twoManagersInOneProcessUseTwoTables() throws Exception {
        RecordingRunner r = new RecordingRunner();
        FirewallManager a = FirewallManager.create(FirewallManager.Backend.NFTABLES, r);
        FirewallManager b = FirewallManager.create(FirewallManager.Backend.NFTABLES, r);
        a.dropInbound(FLOW);
        b.dropInbound(FLOW);
        List<String> tables = r.commands.stream().filter(c -> c.startsWith("nft -f -")).map(c -> c.split("\n")[1]).distinct().toList();
        assertEquals(2, tables.stream().distinct().count(), tables::toString);
        a.closeAll();
        b.closeAll();
    }

    @Test
    void iptablesWhenNftIsMissing() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> null, List.of("iptables"));
        FirewallManager m = FirewallManager.create(FirewallManager.Backend.AUTO, r);
        assertEquals("iptables", m.backendName());
        m.dropInbound(FLOW);
        assertTrue(r.commands.get(0).matches("iptables -w -N rsock_\\d+(_\\d+)?"), r.commands::toString);
        m.closeAll();
    }

    @Test
    void neitherToolIsAClearError() {
        RecordingRunner r = new RecordingRunner(c -> null, List.of());
        TransportException e = assertThrows(TransportException.class, () -> FirewallManager.create(FirewallManager.Backend.AUTO, r));
        assertTrue(e.getMessage().contains("--no-rules"), e.getMessage());
        assertThrows(TransportException.class, () -> FirewallManager.create(FirewallManager.Backend.NFTABLES, r));
        assertThrows(TransportException.class, () -> FirewallManager.create(FirewallManager.Backend.IPTABLES, r));
    }

    @Test
    void printOnlyPrintsTheRulesAndInstallsNothing() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(PrintOnlyBackend.class);
        ListAppender<ILoggingEvent> printed = new ListAppender<>();
        printed.start();
        log.addAppender(printed);
        try {
            RecordingRunner r = new RecordingRunner();
            FirewallManager m = FirewallManager.create(FirewallManager.Backend.PRINT_ONLY, r);
            assertEquals("print-only", m.backendName());
            m.dropInbound(FLOW).close();
            m.dropInbound(FLOW);
            m.closeAll();
            assertTrue(m.removeStale().isEmpty());
            assertEquals(List.of(), r.commands, "print-only ran a command");
            assertEquals(2, printed.list.size());
            String message = printed.list.get(0).getFormattedMessage();
            assertTrue(message.contains("--no-rules"), message);
            assertTrue(Pattern.compile("nft add rule inet rsock_\\d+(_\\d+)? input ip saddr 10\\.0\\.0\\.2 tcp dport 10001 counter drop")
                    .matcher(message).find(), message);
        } finally {
            log.detachAppender(printed);
        }
    }

    @Test
    void printOnlyUsesIptablesSyntaxWhereOnlyIptablesIs() throws Exception {
        FirewallManager m = FirewallManager.create(FirewallManager.Backend.PRINT_ONLY, new RecordingRunner(c -> null, List.of("iptables")));
        FirewallBackendProbe.assertCommandsStartWith(m, "iptables ");
    }

    @Test
    void refusesRulesThatWouldCutTheHostOff() throws Exception {
        RecordingRunner r = new RecordingRunner();
        FirewallManager m = FirewallManager.create(FirewallManager.Backend.NFTABLES, r);
        for (PacketFilter everyone : List.of(
                new PacketFilter(PacketFilter.TCP, 0, null, 0),
                new PacketFilter(PacketFilter.TCP, 0, null, 443),
                new PacketFilter(PacketFilter.UDP, 0, null, 0),
                new PacketFilter(47, 0, null, 0))) {
            TransportException e = assertThrows(TransportException.class, () -> m.dropInbound(everyone), everyone::toString);
            assertTrue(e.getMessage().contains("refusing"), e.getMessage());
        }
        assertEquals(List.of(), r.commands, "a refused rule ran a command");
        assertTrue(m.installed().isEmpty());
        // Narrowed by a port or a peer, the same protocols are fine.
        m.dropInbound(PacketFilter.tcpTo(10001));
        m.dropInbound(new PacketFilter(PacketFilter.TCP, 0, Packets.inet("10.0.0.2"), 0));
        assertEquals(2, m.installed().size());
        m.closeAll();
    }

    @Test
    void describeIsWhatTheLogSays() {
        assertEquals("tcp to port 10001 from 10.0.0.2", FirewallManager.describe(FLOW));
        assertEquals("tcp to port 10001 from 10.0.0.2:443", FirewallManager.describe(PacketFilter.tcp(10001, Packets.inet("10.0.0.2"), 443)));
        assertEquals("icmp echo-request id 5", FirewallManager.describe(new PacketFilter(PacketFilter.ICMP, 5, null, 0)));
    }
}
