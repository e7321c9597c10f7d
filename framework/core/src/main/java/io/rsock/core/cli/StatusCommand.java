package io.rsock.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rsock.core.control.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsock status --unPath PATH}: a running server's or client's conns, sessions and counters. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a running rsock's conns, sessions and counters (it must run with --unPath).")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlSocketOption control;

    @Option(names = "--json", description = "The raw JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> status = control.ask(ControlClient::status);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(status));
            out.flush();
            return 0;
        }
        StatusFormat.print(status, out);
        out.flush();
        return 0;
    }
}
