package io.rsock.netlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets sysctls of a lab namespace from this JVM: a thread {@link Netns#call enters} the namespace
 * and writes {@code /proc/sys/...}, which shows the networking settings of the namespace of the
 * thread that opens it. What {@code ip netns exec <ns> sysctl -w} does, without two processes.
 */
final class Sysctl {
    private Sysctl() {
    }

    /**
     * Sets each {@code name=value} ({@code net.ipv4.ip_forward=1}) in the namespace of
     * {@code namespaceFile}, in order; fails at the first that cannot be written.
     */
    static void set(Path namespaceFile, String... assignments) {
        Netns.call(namespaceFile, () -> {
            for (String assignment : assignments) {
                int eq = assignment.indexOf('=');
                Path file = Path.of("/proc/sys", assignment.substring(0, eq).replace('.', '/'));
                try {
                    Files.writeString(file, assignment.substring(eq + 1));
                } catch (IOException e) {
                    // Unchecked, so that Netns.call does not report it as a socket that failed to open.
                    throw new LabException("cannot set " + assignment + " in " + namespaceFile + " (" + e + ")", e);
                }
            }
            return null;
        });
    }
}
