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
        for (ConnTransport t : manager.getExtensions(ConnTransport.class, null)) {
            loaded.add(new LoadedTransport(t, "(classpath)", "-"));
        }
        for (PluginWrapper w : manager.getStartedPlugins()) {
            try {
                for (ConnTransport t : manager.getExtensions(ConnTransport.class, w.getPluginId())) {
                    t.type(); // a plugin compiled against another rsock-api fails here, not in the middle of a run
                    loaded.add(new LoadedTransport(t, w.getPluginId(), w.getDescriptor().getVersion()));
                }
            } catch (LinkageError | RuntimeException e) {
                problems.add(w.getPluginId() + " " + w.getDescriptor().getVersion() + " (" + w.getPluginPath().getFileName()
                        + "): " + incompatible(e, w.getDescriptor().getRequires()));
            }
        }
        return new TransportCatalog(loaded, problems, "plugins folder " + folder.toAbsolutePath().normalize());
    }

    /**
     * What to tell the user when a plugin's code does not link with this host (it declared a
     * {@code Plugin-Requires} that accepts this rsock-api, yet was compiled against another).
     */
    public static String incompatible(Throwable e, String requires) {
        Throwable linkage = null;
        Throwable root = e;
        for (int depth = 0; root != null && depth < 16; depth++) {
            if (linkage == null && root instanceof LinkageError) {
                linkage = root; // NoClassDefFoundError, NoSuchMethodError...: its cause (ClassNotFoundException) says less
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        if (linkage != null) {
            return "built against an rsock-api this host's " + ApiVersion.get() + " does not match (" + linkage
                    + "); its Plugin-Requires says " + (requires == null || requires.isBlank() ? "nothing" : requires)
                    + ": rebuild it against rsock-api " + ApiVersion.get() + " or use a host it was built for";
        }
        return "failed: " + root;
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
