package io.rsock.core.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM like this one (same java binary, JVM flags and class
 * path) on a given main class: how a daemon detaches and how the demo starts servers, clients and
 * probes inside network namespaces.
 */
final class JavaCommand {
    private JavaCommand() {
    }

    static List<String> forMain(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger or profiler agent bound to one port must not be started twice.
            if (!arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:") && !arg.startsWith("-Xrunjdwp")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }
}
