package io.rsock.packet.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CommandRunner} that runs nothing: it records each command line (and its standard input)
 * and answers from a script, so the exact rule syntax can be checked without root.
 */
final class RecordingRunner implements CommandRunner {
    /** Each command as one line, arguments joined by spaces; with its stdin appended after a "<<" line when there was one. */
    final List<String> commands = new ArrayList<>();
    private final Function<String, Result> answers;
    private final List<String> installedPrograms;
    private int nextHandle = 7;

    /** nft and iptables are "installed"; {@code answers} may return null for the default answer. */
    RecordingRunner(Function<String, Result> answers) {
        this(answers, List.of("nft", "iptables"));
    }

    RecordingRunner(Function<String, Result> answers, List<String> installedPrograms) {
        this.answers = answers;
        this.installedPrograms = installedPrograms;
    }

    RecordingRunner() {
        this(c -> null);
    }

    @Override
    public Result run(List<String> command, String stdin) {
        String line = String.join(" ", command);
        if (command.size() == 2 && command.get(1).equals("--version")) {
            return installedPrograms.contains(command.get(0)) ? new Result(0, command.get(0) + " v1") : new Result(127, "not found");
        }
        commands.add(stdin == null ? line : line + " <<\n" + stdin);
        Result scripted = answers.apply(line);
        if (scripted != null) {
            return scripted;
        }
        if (line.startsWith("nft --echo --handle add rule ")) {
            String rule = line.substring("nft --echo --handle ".length());
            return new Result(0, rule + " # handle " + nextHandle++);
        }
        return new Result(0, "");
    }

    /** The commands recorded so far, then forgets them. */
    List<String> take() {
        List<String> out = List.copyOf(commands);
        commands.clear();
        return out;
    }
}
