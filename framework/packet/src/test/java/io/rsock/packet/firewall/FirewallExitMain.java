package io.rsock.packet.firewall;

import io.rsock.api.packet.PacketFilter;
import java.util.List;

/**
 * Run in its own JVM by {@link FirewallShutdownHookTest}: installs a rule through a runner that
 * prints each command instead of running it, and whose first table deletion fails; then returns
 * from main, so whatever the shutdown hook runs shows in the output.
 */
public final class FirewallExitMain {
    private FirewallExitMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean[] failedOnce = {false};
        CommandRunner printing = (command, stdin) -> {
            String line = String.join(" ", command);
            System.out.println("CMD " + line);
            if (line.startsWith("nft delete table") && args.length > 0 && args[0].equals("fail-first-delete") && !failedOnce[0]) {
                failedOnce[0] = true;
                return new CommandRunner.Result(1, "Error: Could not process rule: Device or resource busy");
            }
            return new CommandRunner.Result(0, line.contains("add rule") ? "# handle 3" : "");
        };
        NftablesBackend nft = new NftablesBackend(printing, "rsock_4242", 4242);
        FirewallManager m = new FirewallManager(nft, List.of(nft));
        m.dropInbound(PacketFilter.tcpTo(10001));
        if (args.length > 0 && !args[0].equals("exit-without-close")) {
            m.closeAll();
        }
        System.out.println("MAIN DONE");
    }
}
