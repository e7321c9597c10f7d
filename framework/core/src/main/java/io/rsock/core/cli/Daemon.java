package io.rsock.core.cli;

import io.rsock.api.Role;
import io.rsock.core.Main;
import io.rsock.core.config.TunnelSettings;
import io.rsock.netlab.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --daemon 1}: a JVM cannot fork, so the run starts itself again as a detached child (its own
 * session via setsid, no terminal, output to the log directory) and the parent returns at once. The
 * child knows it is the detached one by an environment variable and writes a pid file.
 */
final class Daemon {
    static final String DETACHED_ENV = "RSOCK_DETACHED";

    private Daemon() {
    }

    static boolean isDetachedChild() {
        return "1".equals(System.getenv(DETACHED_ENV));
    }

    static int detach(Role role, TunnelSettings settings) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(JavaCommand.forMain(Main.class.getName()));
        cmd.addAll(Main.arguments());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(DETACHED_ENV, "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        File out = outputFile(settings, role);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out));
        Process p = pb.start();
        System.out.println("rsock " + role.name().toLowerCase(Locale.ROOT) + " running in the background, pid "
                + p.pid() + "; output in " + out);
        return 0;
    }

    /**
     * In the detached child: {@code rsock-<role>.pid} next to the log (in the directory logging
     * actually uses, which falls back from an unwritable {@code --log}), removed on exit.
     */
    static void writePidFile(Path logDir, Role role) {
        if (!isDetachedChild() || logDir == null) {
            return;
        }
        Path pid = logDir.resolve("rsock-" + role.name().toLowerCase(Locale.ROOT) + ".pid");
        try {
            Files.writeString(pid, ProcessHandle.current().pid() + "\n");
            pid.toFile().deleteOnExit();
        } catch (IOException e) {
            LoggerFactory.getLogger(Daemon.class).warn("cannot write pid file {}: {}", pid, e.getMessage());
        }
    }

    private static File outputFile(TunnelSettings settings, Role role) {
        File dir = settings.logDir().toFile();
        if (dir.isDirectory() || dir.mkdirs()) {
            if (dir.canWrite()) {
                return new File(dir, "rsock-" + role.name().toLowerCase(Locale.ROOT) + ".out");
            }
        }
        return new File("/dev/null");
    }
}
