package io.rsock.core.cli;

import io.rsock.core.config.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --unPath PATH} of the commands that talk to a running rsock ({@code status}, {@code reload}). */
public final class ControlSocketOption {
    /** One request to the run listening on a control socket. */
    @FunctionalInterface
    interface Request {
        Map<String, Object> to(Path socket) throws IOException;
    }

    @Option(names = "--unPath", paramLabel = "PATH", required = true, description = "The run's control socket.")
    Path unPath;

    /**
     * The run's answer to {@code request}, or a usage error saying there is no run to ask: no
     * socket at the path, or one nothing answers on (a killed run's, a path too long to reach).
     */
    Map<String, Object> ask(Request request) {
        if (!Files.exists(unPath)) {
            throw new UsageException("--unPath: no control socket at " + unPath + " (is rsock running with --unPath " + unPath + "?)");
        }
        try {
            return request.to(unPath);
        } catch (IOException e) {
            throw new UsageException("--unPath: nothing answers at " + unPath + " (" + e.getMessage() + "; is rsock running with --unPath "
                    + unPath + "?)");
        }
    }
}
