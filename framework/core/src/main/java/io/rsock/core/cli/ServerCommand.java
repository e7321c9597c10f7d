package io.rsock.core.cli;

import io.rsock.api.Role;
import picocli.CommandLine.Command;

/** {@code rsock server -t 127.0.0.1:9999}: accept clients on --ports and relay their flows to -t. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Accept rsock clients on --ports and relay their app flows to the target -t ip:port.")
public final class ServerCommand extends TunnelCommand {
    @Override
    Role role() {
        return Role.SERVER;
    }
}
