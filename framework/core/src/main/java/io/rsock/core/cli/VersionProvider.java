package io.rsock.core.cli;

import io.rsock.api.ApiVersion;
import io.rsock.core.plugin.LoadedTransport;
import io.rsock.core.plugin.PluginLoader;
import io.rsock.core.plugin.TransportCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code rsock --version}: the host's version, the plugin API's, and the Java it runs on. */
public final class VersionProvider implements IVersionProvider {
    /** The host's version, e.g. {@code 0.1.0}. */
    public static String hostVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/rsock/core/rsock.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "rsock-java " + hostVersion() + " (plugin API " + ApiVersion.get() + ")",
            "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")
                    + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            "plugins: " + plugins()
        };
    }

    /** The transports in the installation's plugins folder, e.g. {@code tcp (plugin-faketcp 0.1.0), udp (...)}. */
    private static String plugins() {
        try (PluginLoader loader = PluginLoader.load(Install.pluginsFolder(null))) {
            TransportCatalog c = loader.catalog();
            StringBuilder sb = new StringBuilder();
            for (LoadedTransport t : c.all()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(t.type()).append(" (").append(t.pluginId()).append(' ')
                        .append(t.version()).append(')');
            }
            if (sb.length() == 0) {
                sb.append("none in ").append(loader.folder().toAbsolutePath().normalize());
            }
            if (!c.problems().isEmpty()) {
                sb.append("; ").append(c.problems().size()).append(" not loaded (see rsock plugins)");
            }
            return sb.toString();
        } catch (RuntimeException | LinkageError e) {
            return "cannot list (" + e + ")";
        }
    }
}
