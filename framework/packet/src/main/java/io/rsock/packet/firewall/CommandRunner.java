package io.rsock.packet.firewall;

import java.io.IOException;
import java.util.List;

/**
 * Runs a firewall tool. An interface so the rule syntax can be unit-tested without root by
 * recording the argument lists instead of running them.
 */
public interface CommandRunner {
    /** What a command printed (stdout and stderr together) and how it exited. */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} (no shell: arguments are passed as they are) with {@code stdin} as its input,
     * or none when null, and waits for it (bounded).
     *
     * @throws IOException when the program does not exist or cannot be started
     */
    Result run(List<String> command, String stdin) throws IOException;

    /** Whether {@code program --version} runs: how we tell that nft or iptables is installed. */
    default boolean available(String program) {
        try {
            return run(List.of(program, "--version"), null).ok();
        } catch (IOException e) {
            return false;
        }
    }
}
