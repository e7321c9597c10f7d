package io.rsock.packet.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs commands with {@link ProcessBuilder}: argument lists, never a shell, and a time limit. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final Duration timeout;

    public ProcessCommandRunner() {
        this(DEFAULT_TIMEOUT);
    }

    /** With another time limit per command (tests). */
    ProcessCommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Result run(List<String> command, String stdin) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read on another thread: a tool that hangs keeps its output open, and reading it to EOF here
        // would block past the time limit (in the shutdown hook, the JVM's exit with it).
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // it exited without reading its input; its exit code and output say why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms");
            }
            return new Result(p.exitValue(), new String(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).trim());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (ExecutionException | TimeoutException e) {
            // exited, but a child it left behind holds the output open: the exit code is what counts
            return new Result(p.exitValue(), "");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
