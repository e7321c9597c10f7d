package io.rsock.core.cli;

import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.config.UsageException;
import io.rsock.core.host.HostContext;
import io.rsock.core.host.PacketAccess;
import io.rsock.core.host.RawPacketAccess;
import io.rsock.core.host.TunnelRun;
import io.rsock.core.log.LogSetup;
import io.rsock.core.plugin.OptionKeys;
import io.rsock.core.plugin.PluginLoader;
import io.rsock.core.plugin.TransportCatalog;
import io.rsock.core.stats.Counters;
import io.rsock.packet.PacketLayerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What {@code rsock server} and {@code rsock client} share: check flags, load plugins, run until told to stop. */
abstract class TunnelCommand implements Callable<Integer> {
    /** The command line as the user gave it (before the config file's settings were merged in), for {@code rsock reload}. */
    static volatile String[] userArgs = new String[0];

    @Mixin
    TunnelOptions options;

    abstract Role role();

    @Override
    public Integer call() throws Exception {
        TunnelSettings settings = options.toSettings(role());
        if (options.daemon == 1 && !Daemon.isDetachedChild()) {
            return Daemon.detach(role(), settings);
        }
        String name = "rsock-" + role().name().toLowerCase();
        Path logDir = LogSetup.configure(settings.logDir(), name + ".log", !Daemon.isDetachedChild(),
                settings.verbose());
        Logger log = LoggerFactory.getLogger(TunnelCommand.class);
        PluginLoader plugins = PluginLoader.load(Install.pluginsFolder(options.plugins));
        TransportCatalog catalog = plugins.catalog();
        catalog.problems().forEach(p -> log.warn("plugin not loaded: {}", p));
        List<ConnTransport> transports = catalog.select(options.type);
        OptionKeys.check(settings.options().keySet(), catalog.all(), hostKeys()).forEach(log::warn);
        String weak = options.secretWarning();
        if (weak != null) {
            log.warn(weak);
        }
        PacketAccess packets = new RawPacketAccess(settings);
        TunnelRun run = new TunnelRun(settings, transports, packets, new Counters());
        run.onReload(() -> reload(run));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            run.close();
            plugins.close();
            stopped.countDown();
            LogSetup.shutdown();
        }, "rsock-shutdown"));
        Signals.exitCleanlyOn("INT", "TERM", "USR1");
        try {
            run.start();
        } catch (TransportException | IOException e) {
            log.error("cannot start: {}", e.getMessage());
            throw new StartupException(e.getMessage(), e);
        }
        Daemon.writePidFile(logDir, role());
        stopped.await();
        return 0;
    }

    /** The {@code --opt} keys the host reads itself: the packet layer's and the transports' context's ({@code mtu}). */
    private static Map<String, String> hostKeys() {
        Map<String, String> keys = new LinkedHashMap<>(PacketLayerOptions.KEYS);
        keys.putAll(HostContext.KEYS);
        return keys;
    }

    /**
     * {@code rsock reload}: the same command line again, with the config file read afresh (flags
     * given on the command line still override it), applied to the running tunnel.
     */
    private Map<String, Object> reload(TunnelRun run) throws Exception {
        if (options.configFile == null) {
            return Map.of("error", "started without -f: there is no config file to re-read");
        }
        CommandLine cmd = RsockCommand.commandLine();
        List<String> merged = RsockCommand.withConfigFile(cmd, userArgs);
        TunnelSettings fresh;
        try {
            CommandLine.ParseResult parsed = cmd.parseArgs(merged.toArray(new String[0]));
            TunnelCommand again = (TunnelCommand) parsed.subcommand().commandSpec().userObject();
            fresh = again.options.toSettings(role());
        } catch (CommandLine.ParameterException | UsageException e) {
            LoggerFactory.getLogger(TunnelCommand.class).warn("reload: {} has an error, nothing changed: {}",
                    options.configFile, e.getMessage());
            return Map.of("error", options.configFile + ": " + e.getMessage() + " (nothing changed)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", options.configFile.toAbsolutePath().toString());
        out.putAll(run.reload(fresh));
        return out;
    }
}
