package io.rsock.netlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A process the lab started in one of its namespaces; its output goes to a log file. */
public final class LabProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    LabProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where stdout and stderr go. */
    public Path log() {
        return log;
    }

    /** What it printed so far (bounded to the last 64 KiB). */
    public String output() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = Math.max(0, all.length - 65536);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits up to {@code millis} until its output contains {@code text}: a started JVM takes seconds
     * to bind under load, and a probe sent before that meets a closed port.
     */
    public LabProcess awaitOutput(String text, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new LabException(name + " exited before printing '" + text + "': " + output().strip());
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(name + " did not print '" + text + "' within " + millis + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for " + name);
            }
        }
        return this;
    }

    /** Waits up to {@code millis} for it to exit; its exit code, or -1 if it is still running. */
    public int waitFor(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code millis}; its exit code. */
    public int stop(long millis) {
        terminate();
        return awaitExit(millis);
    }

    /** SIGTERM, without waiting: {@link #awaitExit} then waits, so that several processes stop side by side. */
    void terminate() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Waits up to {@code millis} for it to exit, then SIGKILL and as long again; its exit code. */
    int awaitExit(long millis) {
        if (waitFor(millis) < 0 && process.isAlive()) {
            process.destroyForcibly();
            waitFor(millis);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Sends SIGKILL: for tests of what a killed run leaves behind. */
    public void kill() {
        process.destroyForcibly();
        waitFor(5000);
    }

    @Override
    public void close() {
        stop(5000);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
