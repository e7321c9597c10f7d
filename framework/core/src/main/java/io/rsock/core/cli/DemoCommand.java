package io.rsock.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rsock demo}: placeholder until the lab lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Demo.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
