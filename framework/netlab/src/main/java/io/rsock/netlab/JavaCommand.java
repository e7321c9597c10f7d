package io.rsock.netlab;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM like this one (same java binary, JVM flags and class
 * path) on a given main class: how a daemon detaches, and how the demo and the tests start rsock
 * servers, clients and attack tools inside network namespaces (a whole process there, unlike the
 * echo and the probes, whose sockets {@link Netns} opens from this JVM).
 */
public final class JavaCommand {
    private JavaCommand() {
    }

    /** {@code java <this JVM's flags> -cp <this class path> mainClass}; append the program's arguments. */
    public static List<String> forMain(String mainClass) {
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
