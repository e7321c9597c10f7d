package io.rsock.core.host;

import io.rsock.api.ConnTransport;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.control.ControlServer;
import io.rsock.core.control.ControlServer.Reloader;
import io.rsock.core.control.MetricsServer;
import io.rsock.core.frame.HotPathWarmup;
import io.rsock.core.log.LogSetup;
import io.rsock.core.plugin.PluginLoader;
import io.rsock.core.stats.Counters;
import io.rsock.core.stats.DropReasons;
import io.rsock.core.stats.LimitReport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code rsock server} or {@code rsock client}: starts the selected transports and the
 * tunnel end over them, and on {@link #close()} undoes everything in reverse order (tunnel, transports,
 * packet layer and firewall rules, timer thread). Safe to close from a shutdown hook.
 */
public final class TunnelRun implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunnelRun.class);

    private final TunnelSettings settings;
    private final List<ConnTransport> transports;
    private final PacketAccess packets;
    private final Counters counters;
    private final ScheduledExecutorService scheduler;
    private final List<ConnTransport> started = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    /** Read by the control and metrics threads, which answer while the run is still starting. */
    private volatile TunnelEnd tunnel;
    private ControlServer control;
    private MetricsServer metrics;
    private boolean closed;
    private ScheduledFuture<?> authSummary;
    /** What {@code rsock reload} calls: re-reads the configuration and hands it to {@link #reload}. */
    private Reloader reloader = () -> Map.of("error", "this run has no configuration to reload");

    public TunnelRun(TunnelSettings settings, List<ConnTransport> transports, PacketAccess packets, Counters counters) {
        this.settings = settings;
        this.transports = List.copyOf(transports);
        this.packets = packets;
        this.counters = counters;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rsock-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets what {@code rsock reload} does; before {@link #start}. */
    public void onReload(Reloader r) {
        this.reloader = r;
    }

    /**
     * Applies what may change without a restart: the log level ({@code -v}) and the ports (the
     * client's pool follows them, the server listens on new ones). Flows are not touched: sessions,
     * and conns on unchanged ports, go on. Everything else needs a restart, and the answer says so.
     */
    public Map<String, Object> reload(TunnelSettings fresh) throws TransportException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (fresh.verbose() != LogSetup.verbose()) {
            LogSetup.verbose(fresh.verbose());
            log.info("reload: log level {}", fresh.verbose() ? "debug" : "info");
        }
        out.put("log_level", fresh.verbose() ? "debug" : "info");
        TunnelEnd t = tunnel();
        if (t != null) {
            out.put("ports", t.reloadPorts(fresh.ports()));
        }
        List<String> restart = new ArrayList<>();
        if (!Objects.equals(fresh.target(), settings.target()) || !Objects.equals(fresh.servers(), settings.servers())) {
            restart.add("taddr");
        }
        if (!Objects.equals(fresh.listen(), settings.listen())) {
            restart.add("ludp");
        }
        if (!Objects.equals(fresh.secret(), settings.secret())) {
            restart.add("hash");
        }
        if (!fresh.types().equals(settings.types())) {
            restart.add("type");
        }
        if (!fresh.options().equals(settings.options())) {
            restart.add("opt");
        }
        if (!restart.isEmpty()) {
            out.put("needs_restart", restart);
            log.warn("reload: {} changed in the configuration; that takes a restart", restart);
        }
        return out;
    }

    /** Starts everything; on failure undoes what was started and rethrows. */
    public synchronized void start() throws TransportException, IOException {
        try {
            InetAddress peer = settings.role() == Role.CLIENT ? settings.servers().get(0) : null;
            HandshakeTokens tokens = new KeyedHandshakeTokens(settings.secret(), System::currentTimeMillis,
                    counters.get("handshake.replayed"), counters.get("handshake.memory_full"));
            // The sockets a user named first: a --unPath no client could reach or a --metrics port in
            // use fails the start before any conn comes up or any firewall rule goes in. Until the
            // tunnel end runs, they answer with what there is.
            if (settings.metrics() != null) {
                metrics = MetricsServer.start(settings.metrics(), settings.role().name().toLowerCase(Locale.ROOT),
                        counters, this::gauges);
            }
            if (settings.controlSocket() != null) {
                control = ControlServer.start(settings.controlSocket(), this::status, reloader);
            }
            for (ConnTransport t : transports) {
                try {
                    t.start(new HostContext(settings.role(), peer, packets, scheduler, counters, settings.options(), tokens));
                } catch (LinkageError e) {
                    throw new TransportException("transport " + t.type() + " (" + t.getClass().getName() + ") cannot run: "
                            + PluginLoader.incompatible(e, null));
                }
                started.add(t);
            }
            TunnelEnd end = settings.role() == Role.CLIENT
                    ? new TunnelClient(settings, started, scheduler, counters, System::nanoTime)
                    : new TunnelServer(settings, started, scheduler, counters, System::nanoTime);
            try {
                end.start();
            } catch (IOException | TransportException | RuntimeException e) {
                closeQuietly("tunnel", end);
                throw e;
            }
            tunnel = end; // published started: the control thread may read it from now on
            scheduler.scheduleAtFixedRate(new LimitReport(counters, log::warn), LimitReport.INTERVAL_SECONDS,
                    LimitReport.INTERVAL_SECONDS, TimeUnit.SECONDS);
            authSummary = scheduler.scheduleAtFixedRate(new AuthFailureSummary(counters), AuthFailureSummary.PERIOD_S,
                    AuthFailureSummary.PERIOD_S, TimeUnit.SECONDS);
            HotPathWarmup.start(settings.crypt()); // compiled while the conns come up, not under the first datagrams
        } catch (TransportException | IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The running tunnel end, or null before {@link #start}. */
    private TunnelEnd tunnel() {
        return tunnel;
    }

    /** Live state for {@code rsock status}: the tunnel end's, plus uptime and every counter. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        TunnelEnd t = tunnel();
        if (t != null) {
            out.putAll(t.status());
        }
        out.put("transports", transports.stream().map(ConnTransport::type).toList());
        out.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        out.put("log_level", LogSetup.verbose() ? "debug" : "info");
        out.put("drops", DropReasons.of(counters));
        out.put("drop_reasons", DropReasons.reasons(counters));
        out.put("counters", counters.snapshot());
        out.put("packet", packets.stats());
        return out;
    }

    private Map<String, Number> gauges() {
        TunnelEnd t = tunnel();
        return t == null ? Map.of() : t.gauges();
    }

    public Counters counters() {
        return counters;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (authSummary != null) {
            authSummary.cancel(false);
        }
        closeQuietly("control socket", control);
        closeQuietly("metrics", metrics);
        closeQuietly("tunnel", tunnel);
        for (int i = started.size() - 1; i >= 0; i--) {
            ConnTransport t = started.get(i);
            try {
                t.close();
            } catch (RuntimeException e) {
                log.warn("closing transport {}: {}", t.type(), e.toString());
            }
        }
        closeQuietly("packet layer", packets);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {}: {}", what, e.toString());
        }
    }
}
