package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rsock.api.packet.PacketFilter;
import org.slf4j.LoggerFactory;

/** What a print-only manager tells the user, captured from its log. */
final class FirewallBackendProbe {
    private FirewallBackendProbe() {
    }

    static void assertCommandsStartWith(FirewallManager m, String prefix) throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(PrintOnlyBackend.class);
        ListAppender<ILoggingEvent> printed = new ListAppender<>();
        printed.start();
        log.addAppender(printed);
        try {
            m.dropInbound(PacketFilter.tcpTo(10001));
            String message = printed.list.get(0).getFormattedMessage();
            String commands = message.substring(message.indexOf('\n') + 1);
            for (String line : commands.split("\n")) {
                assertTrue(line.strip().startsWith(prefix), message);
            }
        } finally {
            log.detachAppender(printed);
            m.closeAll();
        }
    }
}
