package io.rsock.core.cli;

import io.rsock.core.plugin.LoadedTransport;
import io.rsock.core.plugin.PluginLoader;
import io.rsock.core.plugin.TransportCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsock plugins}: what transports this installation has, and which plugins failed to load. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the transport plugins found in the plugins folder, and those that could not be loaded, with the reason.",
            "Exit code 1 when a plugin could not be loaded."})
public final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugin folder. Default: plugins/ of the installation.")
    Path plugins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginLoader loader = PluginLoader.load(Install.pluginsFolder(plugins))) {
            TransportCatalog catalog = loader.catalog();
            out.printf("%-8s %-16s %-10s %s%n", "TYPE", "PLUGIN", "VERSION", "IN --type all");
            for (LoadedTransport t : catalog.all()) {
                out.printf("%-8s %-16s %-10s %s%n", t.type(), t.pluginId(), t.version(),
                        t.transport().optIn() ? "no (opt-in)" : "yes");
            }
            if (catalog.all().isEmpty()) {
                out.println("(none in " + loader.folder().toAbsolutePath().normalize() + ")");
            }
            for (String p : catalog.problems()) {
                out.println("not loaded: " + p);
            }
            out.flush();
            return catalog.problems().isEmpty() ? 0 : 1;
        }
    }
}
