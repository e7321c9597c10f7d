package io.rsock.packet.firewall;

import io.rsock.api.packet.PacketFilter;
import java.util.List;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --no-rules}: installs nothing and logs the exact commands the user should run instead,
 * in the syntax of the backend the host would otherwise have used.
 */
public final class PrintOnlyBackend implements FirewallBackend {
    private static final Logger log = LoggerFactory.getLogger(PrintOnlyBackend.class);

    private final FirewallBackend syntax;

    /** @param syntax the backend whose commands are printed; it is never asked to run anything */
    public PrintOnlyBackend(FirewallBackend syntax) {
        this.syntax = syntax;
    }

    @Override
    public String name() {
        return "print-only";
    }

    @Override
    public InstalledRule install(PacketFilter filter) {
        log.warn("--no-rules: the kernel will answer {} itself unless you add this rule (and remove it when rsock stops):\n  {}",
                FirewallManager.describe(filter), String.join("\n  ", syntax.commandsFor(filter)));
        return new InstalledRule(filter, "");
    }

    @Override
    public void remove(InstalledRule rule) {
        // nothing was installed
    }

    @Override
    public void removeAll() {
        // nothing was installed
    }

    @Override
    public List<String> removeStale(LongPredicate pidAlive) {
        return List.of();
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        return syntax.commandsFor(filter);
    }
}
