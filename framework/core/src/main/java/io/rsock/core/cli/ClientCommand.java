package io.rsock.core.cli;

import io.rsock.api.Role;
import picocli.CommandLine.Command;

/** {@code rsock client -t SERVER_IP -l 127.0.0.1:30000}: carry the app's UDP on -l to the rsock server. */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Listen for the app's UDP on -l and carry it over many conns to the rsock server(s) -t.")
public final class ClientCommand extends TunnelCommand {
    @Override
    Role role() {
        return Role.CLIENT;
    }
}
