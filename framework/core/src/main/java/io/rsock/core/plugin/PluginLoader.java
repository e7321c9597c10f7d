package io.rsock.core.plugin;

import io.rsock.api.ApiVersion;
import io.rsock.api.ConnTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginRepository;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the transport plugins from a folder with pf4j. A plugin is a jar with {@code Plugin-Id},
 * {@code Plugin-Version} and {@code Plugin-Requires} in its manifest and {@code ConnTransport}
 * extensions inside; pf4j refuses (and we report) a plugin whose {@code Plugin-Requires} does not
 * accept this host's rsock-api version.
 */
public final class PluginLoader implements AutoCloseable {
    private final PluginManager manager;
    private final Path folder;

    private PluginLoader(PluginManager manager, Path folder) {
        this.manager = manager;
        this.folder = folder;
    }

    /** Loads and starts every plugin in {@code folder} (a missing folder loads nothing). */
    public static PluginLoader load(Path folder) {
        PluginManager pm = new DefaultPluginManager(folder) {
            @Override
            protected PluginRepository createPluginRepository() {
                // Plugins are jars; anything else in the folder (a README, a stray directory) is not one.
                return new JarPluginRepository(getPluginsRoots());
            }
        };
        pm.setSystemVersion(ApiVersion.get());
        if (Files.isDirectory(folder)) {
            pm.loadPlugins();
            pm.startPlugins();
        }
        return new PluginLoader(pm, folder);
    }

    /** The transports found, and the plugins that failed, as a catalog. */
    public TransportCatalog catalog() {
        List<LoadedTransport> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            if (w.getPluginState() != PluginState.STARTED) {
                problems.add(problem(w));
            }
        }
        for (ConnTransport t : manager.getExtensions(ConnTransport.class)) {
            PluginWrapper w = manager.whichPlugin(t.getClass());
            loaded.add(new LoadedTransport(t, w == null ? "(classpath)" : w.getPluginId(),
                    w == null ? "-" : w.getDescriptor().getVersion()));
        }
        return new TransportCatalog(loaded, problems, "plugins folder " + folder.toAbsolutePath().normalize());
    }

    private static String problem(PluginWrapper w) {
        String requires = w.getDescriptor().getRequires();
        String why = w.getFailedException() != null ? w.getFailedException().getMessage()
                : w.getPluginState() == PluginState.DISABLED || w.getPluginState() == PluginState.RESOLVED
                        ? "requires rsock-api " + requires + " but this host has " + ApiVersion.get()
                        : "state " + w.getPluginState();
        return w.getPluginId() + " " + w.getDescriptor().getVersion() + " (" + w.getPluginPath().getFileName() + "): " + why;
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
