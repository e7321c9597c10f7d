package io.rsock.core.cli;

import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Signal handling: SIGINT, SIGTERM and SIGUSR1 (the original tool's documented way to stop it) all
 * end the run cleanly with exit code 0; the shutdown hook closes conns and removes firewall rules.
 */
final class Signals {
    private Signals() {
    }

    static void exitCleanlyOn(String... names) {
        for (String name : names) {
            try {
                Signal.handle(new Signal(name), s -> new Thread(() -> System.exit(0), "rsock-signal-" + name).start());
            } catch (IllegalArgumentException e) {
                // Not on this platform (no USR1 on Windows) or reserved by the JVM: the default stays.
                LoggerFactory.getLogger(Signals.class).debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
