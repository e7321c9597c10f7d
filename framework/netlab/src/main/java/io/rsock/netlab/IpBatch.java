package io.rsock.netlab;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip} commands run by one {@code ip -batch -} process, in the root namespace or in one lab
 * namespace ({@code ip -n <ns>}): building a lab takes some thirty of them, and a fork and exec
 * each cost more than the commands themselves.
 */
final class IpBatch {
    private final List<String> cmd = new ArrayList<>(List.of("ip"));
    private final StringBuilder lines = new StringBuilder();

    private IpBatch(String namespace) {
        if (namespace != null) {
            cmd.addAll(List.of("-n", namespace));
        }
    }

    /** Commands for the root namespace (the one this JVM runs in). */
    static IpBatch root() {
        return new IpBatch(null);
    }

    /** Commands for the namespace {@code namespace}. */
    static IpBatch in(String namespace) {
        return new IpBatch(namespace);
    }

    /** Adds one command, as {@code ip} would take it without its leading {@code ip}. */
    IpBatch add(String... words) {
        lines.append(String.join(" ", words)).append('\n');
        return this;
    }

    /** Runs the commands in order, stopping at the first that fails: fails with its error and the commands. */
    void run() {
        List<String> all = new ArrayList<>(cmd);
        all.addAll(List.of("-batch", "-"));
        Shell.Result r = Shell.run(all, lines.toString());
        if (!r.ok()) {
            throw new LabException(String.join(" ", all) + " failed (exit " + r.exitCode() + "): " + r.out().strip()
                    + "\ncommands:\n" + lines);
        }
    }

    /** Runs every command, whether the ones before failed or not ({@code ip -force}): for clean-up. */
    void runAll() {
        List<String> all = new ArrayList<>(cmd);
        all.addAll(List.of("-force", "-batch", "-"));
        Shell.run(all, lines.toString());
    }
}
