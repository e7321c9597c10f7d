package io.rsock.core.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where this installation lives: {@code rsock.home} (set by bin/rsock), else the working directory. */
final class Install {
    private Install() {
    }

    static Path home() {
        String home = System.getProperty("rsock.home");
        return home != null && !home.isEmpty() ? Paths.get(home) : Paths.get("").toAbsolutePath();
    }

    /** The default plugins folder: {@code plugins/} of the installation. */
    static Path pluginsFolder(Path override) {
        return override != null ? override : home().resolve("plugins");
    }
}
