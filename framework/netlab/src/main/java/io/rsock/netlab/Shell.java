package io.rsock.netlab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion, bounded in time, and returns what it printed. */
public final class Shell {
    private static final long TIMEOUT_SECONDS = 30;

    private Shell() {
    }

    /** The output of a finished command. */
    public record Result(int exitCode, String out) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Whether {@code command} is on the {@code PATH}. */
    public static boolean hasCommand(String command) {
        return run(List.of("sh", "-c", "command -v " + command)).ok();
    }

    /** Runs {@code cmd}, stdout and stderr merged; never throws for a non-zero exit. */
    public static Result run(List<String> cmd) {
        return run(cmd, null);
    }

    /** Runs {@code cmd} with {@code stdin} (or nothing) as its input. */
    public static Result run(List<String> cmd, String stdin) {
        return run(cmd, stdin, TIMEOUT_SECONDS);
    }

    /**
     * Runs {@code cmd} for at most {@code timeoutSeconds}; one still running then gets SIGTERM (and
     * SIGKILL 10 s later), so that a command owning namespaces or rules can remove them.
     */
    public static Result run(List<String> cmd, String stdin, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, cmd.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command did not read its input; its exit code tells the rest
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                return new Result(124, String.join(" ", cmd) + ": timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        } catch (Exception e) {
            return new Result(p.exitValue(), "");
        }
    }

    /** Runs {@code cmd} and fails with its output when it exits non-zero. */
    public static String check(List<String> cmd) {
        return check(cmd, null);
    }

    /** Runs {@code cmd} with {@code stdin} and fails with its output when it exits non-zero. */
    public static String check(List<String> cmd, String stdin) {
        Result r = run(cmd, stdin);
        if (!r.ok()) {
            throw new LabException(String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.out().strip());
        }
        return r.out();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
