package io.rsock.core.cli;

import io.rsock.core.config.ConfigFile;
import io.rsock.core.config.UsageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command: {@code rsock server|client|plugins|demo}. */
@Command(name = "rsock", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Turns one UDP flow into many fake-TCP, UDP or ICMP connections, so that an ISP's QoS against UDP stops hurting.",
            "Not reliable by design: the app above (kcptun's ARQ) handles loss."},
        subcommands = {ServerCommand.class, ClientCommand.class, StatusCommand.class, ReloadCommand.class, PluginsCommand.class,
            DemoCommand.class, picocli.AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class})
public final class RsockCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with rsock's error handling: one line and exit code 2 for usage errors. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new RsockCommand());
        // The config file's values come first on the line; the user's own flags, later, override them.
        cmd.setOverwrittenOptionsAllowed(true);
        cmd.setParameterExceptionHandler(RsockCommand::usageError);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter err = c.getErr();
            if (e instanceof UsageException) {
                err.println("rsock " + c.getCommandName() + ": " + e.getMessage());
                err.flush();
                return 2;
            }
            if (e instanceof StartupException) {
                err.println("rsock " + c.getCommandName() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            LoggerFactory.getLogger(RsockCommand.class).debug("internal error", e);
            err.println("rsock " + c.getCommandName() + ": internal error: " + e
                    + " (run with -v and report it, with the log)");
            err.flush();
            return 1;
        });
        return cmd;
    }

    /** Parses and runs {@code args}, merging a {@code -f} config file first. Returns the exit code. */
    public static int execute(String... args) {
        CommandLine cmd = commandLine();
        TunnelCommand.userArgs = args.clone();
        List<String> merged;
        try {
            merged = withConfigFile(cmd, args);
        } catch (UsageException e) {
            cmd.getErr().println("rsock: " + e.getMessage());
            cmd.getErr().flush();
            return 2;
        }
        return cmd.execute(merged.toArray(new String[0]));
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        err.println("rsock " + c.getCommandName() + ": " + e.getMessage().replace('\n', ' ')
                + " (see: rsock " + c.getCommandName() + " --help)");
        err.flush();
        return 2;
    }

    /**
     * For {@code rsock server|client ... -f FILE ...}: the file's settings as flags, placed right
     * after the subcommand so the user's flags come later and win.
     */
    static List<String> withConfigFile(CommandLine cmd, String[] args) {
        List<String> list = new ArrayList<>(Arrays.asList(args));
        if (list.isEmpty()) {
            return list;
        }
        CommandLine sub = cmd.getSubcommands().get(list.get(0));
        if (sub == null || !(sub.getCommand() instanceof TunnelCommand)) {
            return list;
        }
        Path file = configFileArgument(list.subList(1, list.size()));
        if (file == null) {
            return list;
        }
        CommandSpec spec = sub.getCommandSpec();
        List<String> fromFile = ConfigFile.toArguments(file,
                key -> option(spec, key) != null && !key.equals("f"),
                key -> {
                    OptionSpec o = option(spec, key);
                    return o != null && o.arity().max() == 0;
                });
        list.addAll(1, fromFile);
        return list;
    }

    private static OptionSpec option(CommandSpec spec, String key) {
        OptionSpec o = spec.findOption("--" + key);
        return o != null ? o : key.length() == 1 ? spec.findOption("-" + key) : null;
    }

    private static Path configFileArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return null;
            }
            if (a.equals("-f")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("-f needs a file name");
                }
                return Paths.get(args.get(i + 1));
            }
            if (a.startsWith("-f=")) {
                return Paths.get(a.substring(3));
            }
            if (a.startsWith("-f") && a.length() > 2 && !a.startsWith("--")) {
                return Paths.get(a.substring(2));
            }
        }
        return null;
    }
}
