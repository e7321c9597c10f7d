package io.rsock.core.cli;

import io.rsock.api.packet.PacketFilter;
import io.rsock.packet.firewall.CommandRunner;
import io.rsock.packet.firewall.FirewallManager;

/**
 * Run in its own JVM by {@link ForeignFirewallTest}: maps SIGINT, SIGTERM and SIGUSR1 to a clean
 * exit as {@code rsock server} does, installs one rule with macOS's or Windows' backend through a
 * runner that prints each command instead of running it, says READY, and waits (bounded) for a signal.
 *
 * <pre>args: pf|netsh</pre>
 */
public final class ForeignFirewallExitMain {
    private ForeignFirewallExitMain() {
    }

    public static void main(String[] args) throws Exception {
        Signals.exitCleanlyOn("INT", "TERM", "USR1");
        FirewallManager m = FirewallManager.create(ForeignFirewallTest.backend(args[0]), printing());
        m.dropInbound(PacketFilter.tcpTo(10001));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("NO SIGNAL CAME");
        System.exit(3);
    }

    /** Prints {@code CMD <command>} and answers as pfctl and netsh would. */
    static CommandRunner printing() {
        return (command, stdin) -> {
            String line = String.join(" ", command);
            System.out.println("CMD " + line);
            System.out.flush();
            return ForeignFirewallTest.answer(line);
        };
    }
}
