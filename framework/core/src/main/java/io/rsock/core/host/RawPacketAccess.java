package io.rsock.core.host;

import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.Registration;
import io.rsock.core.config.TunnelSettings;
import io.rsock.packet.PacketLayer;
import io.rsock.packet.PacketLayerOptions;
import io.rsock.packet.PacketPath;
import io.rsock.packet.PacketStats;
import io.rsock.packet.firewall.FirewallManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real packet layer (pcap capture, raw injection) and firewall manager, each opened on first
 * use: a run over plain UDP needs neither, and must work without root. One packet layer is shared
 * by every transport of the run. The firewall manager first clears the rules of earlier runs that
 * were killed, and its rules go with {@link #close()} (or its shutdown hook, if the JVM dies first).
 */
public final class RawPacketAccess implements PacketAccess {
    private static final Logger log = LoggerFactory.getLogger(RawPacketAccess.class);

    /** Makes the run's firewall manager: {@link FirewallManager#create(FirewallManager.Backend)}, or a test's. */
    @FunctionalInterface
    public interface FirewallFactory {
        FirewallManager create(FirewallManager.Backend backend) throws TransportException;
    }

    private final TunnelSettings settings;
    private final PacketPath path;
    private final FirewallFactory firewalls;
    private PacketLayer layer;
    private FirewallManager firewall;
    private boolean closed;

    /**
     * @throws io.rsock.core.config.UsageException when {@code --opt packet.portable} has a value that is refused
     */
    public RawPacketAccess(TunnelSettings settings) {
        this(settings, FirewallManager::create);
    }

    /** With the way the firewall manager is made (a test's recording one). */
    public RawPacketAccess(TunnelSettings settings, FirewallFactory firewalls) {
        this.settings = settings;
        this.path = settings.packetPath();
        this.firewalls = firewalls;
    }

    @Override
    public PacketPath path() {
        return path;
    }

    @Override
    public synchronized PacketIO packets() throws TransportException {
        if (closed) {
            throw new TransportException("the packet layer is closed");
        }
        if (layer == null) {
            // The portable path reads nothing of /proc: off Linux the system calls say what is missing.
            String missing = path == PacketPath.LINUX ? Privileges.missingForRawPackets(!settings.noRules()) : null;
            if (missing != null) {
                throw new TransportException(missing);
            }
            layer = PacketLayer.open(options());
        }
        return layer;
    }

    private PacketLayerOptions options() throws TransportException {
        PacketLayerOptions o = PacketLayerOptions.defaults().withCaptureTimeoutMillis(Math.max(1, settings.captureTimeoutMs()));
        if (settings.device() != null && !settings.device().isEmpty()) {
            o = o.withDevice(settings.device());
        }
        if (settings.captureIp() != null) {
            o = o.withLocalAddress(settings.captureIp());
        }
        if (settings.role() == Role.CLIENT && !settings.servers().isEmpty()) {
            o = o.withPeerHint(settings.servers().get(0));
        }
        return o.withOptions(settings.options());
    }

    @Override
    public synchronized Map<String, Long> stats() {
        if (layer == null) {
            return Map.of();
        }
        PacketStats s = layer.stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("captured", s.captured());
        m.put("delivered", s.delivered());
        m.put("unmatched", s.unmatched());
        m.put("malformed", s.malformed());
        m.put("receiver_errors", s.receiverErrors());
        m.put("capture_errors", s.captureErrors());
        m.put("injected", s.injected());
        m.put("inject_failed", s.injectFailed());
        m.put("kernel_drops", s.kernelDrops());
        return m;
    }

    @Override
    public Firewall firewall() {
        return this::dropInbound;
    }

    private synchronized Registration dropInbound(PacketFilter filter) throws TransportException {
        if (closed) {
            throw new TransportException("the firewall manager is closed");
        }
        if (firewall == null) {
            firewall = firewalls.create(settings.noRules() ? FirewallManager.Backend.PRINT_ONLY : FirewallManager.Backend.AUTO);
            List<String> stale = firewall.removeStale();
            if (!stale.isEmpty()) {
                log.warn("firewall: removed rules left by earlier rsock runs that did not exit cleanly: {}", stale);
            }
        }
        return firewall.dropInbound(filter);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (layer != null) {
            layer.close();
        }
        if (firewall != null) {
            firewall.closeAll();
        }
    }
}
