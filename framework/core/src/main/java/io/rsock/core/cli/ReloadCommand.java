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

/** {@code rsock reload --unPath PATH}: a running server or client re-reads its {@code -f} config file. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make a running rsock re-read its config file (-f): ports and log level (\"verbose\") change without",
            "dropping flows; other keys need a restart and the answer names them. Flags given on its command line still win."})
public final class ReloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlSocketOption control;

    @Option(names = "--json", description = "The raw JSON answer, for scripts.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> answer = control.ask(ControlClient::reload);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(answer));
        } else if (answer.containsKey("error")) {
            spec.commandLine().getErr().println("rsock reload: " + answer.get("error"));
            spec.commandLine().getErr().flush();
            return 1;
        } else {
            out.println("reloaded " + answer.getOrDefault("config", ""));
            answer.forEach((k, v) -> {
                if (!k.equals("config")) {
                    out.printf("  %-14s %s%n", k + ":", v);
                }
            });
        }
        out.flush();
        return answer.containsKey("error") ? 1 : 0;
    }
}
