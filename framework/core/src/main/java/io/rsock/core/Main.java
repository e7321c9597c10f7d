package io.rsock.core;

import io.rsock.core.cli.RsockCommand;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** {@code rsock}: the command-line entry. Exit codes: 0 ok, 1 the run failed, 2 a usage error. */
public final class Main {
    private static volatile List<String> arguments = List.of();

    private Main() {
    }

    public static void main(String[] args) {
        arguments = List.copyOf(Arrays.asList(args));
        // server and client return only once the shutdown hook has stopped them; exit is then a no-op.
        System.exit(RsockCommand.execute(args));
    }

    /** The arguments this process was started with (a detaching daemon starts itself again with them). */
    public static List<String> arguments() {
        return arguments;
    }

    /** A fresh command line, for tests. */
    public static CommandLine commandLine() {
        return RsockCommand.commandLine();
    }
}
