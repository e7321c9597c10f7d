package io.rsock.core.cli;

import io.rsock.core.config.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --unPath PATH} of the commands that talk to a running rsock ({@code status}, {@code reload}). */
public final class ControlSocketOption {
    @Option(names = "--unPath", paramLabel = "PATH", required = true, description = "The run's control socket.")
    Path unPath;

    /** The socket, or a usage error saying there is none (rsock not running, or without --unPath). */
    Path existing() {
        if (!Files.exists(unPath)) {
            throw new UsageException("--unPath: no control socket at " + unPath + " (is rsock running with --unPath " + unPath + "?)");
        }
        return unPath;
    }
}
