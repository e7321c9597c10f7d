package io.rsock.core.config;

import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.packet.PacketPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a client or server run is configured with, after flags and config file are merged and
 * checked. Immutable; the host reads only this.
 *
 * @param role client or server
 * @param target server: where app datagrams go ({@code -t ip:port}); client: unused (null)
 * @param servers client: the rsock servers ({@code -t ip[,ip...]}); server: empty
 * @param listen client: the local UDP address the app sends to ({@code -l}); server: null
 * @param device capture device ({@code -d}), or null to detect
 * @param captureIp the Internet IP to capture on ({@code --lcapIp}), or null
 * @param controlSocket the control socket path ({@code --unPath}), or null
 * @param ports the server ports ({@code -p})
 * @param idleTimeout how long an app flow lives without traffic ({@code --duration})
 * @param secret the shared secret ({@code --hash})
 * @param types the transport types selected ({@code --type}), resolved ("all" expanded by the host)
 * @param logDir where logs go ({@code --log})
 * @param verbose debug logging ({@code -v})
 * @param captureTimeoutMs libpcap read timeout ({@code --cap_timeout})
 * @param limits the bound of every table (sessions, clients, conns, reassembly)
 * @param heartbeat heartbeat interval per conn
 * @param noRules print firewall rules instead of installing them
 * @param metrics where to serve Prometheus metrics ({@code --metrics}), or null
 * @param options transport-specific options ({@code --opt key=value})
 * @param idle client: close every conn after this long without app traffic ({@code --idle}); zero: never
 * @param randomPorts how many of {@code ports} are in use at a time ({@code --random-ports}); 0: all
 * @param portRotation how long a random port set lives ({@code --port-rotation})
 * @param crypt the frame protection ({@code --crypt}): {@link FrameProtection#NONE} authenticates only
 */
public record TunnelSettings(
        Role role,
        InetSocketAddress target,
        List<InetAddress> servers,
        InetSocketAddress listen,
        String device,
        InetAddress captureIp,
        Path controlSocket,
        PortList ports,
        Duration idleTimeout,
        String secret,
        List<String> types,
        Path logDir,
        boolean verbose,
        int captureTimeoutMs,
        Limits limits,
        Duration heartbeat,
        boolean noRules,
        InetSocketAddress metrics,
        Map<String, String> options,
        Duration idle,
        int randomPorts,
        Duration portRotation,
        FrameProtection crypt) {

    public TunnelSettings {
        servers = List.copyOf(servers);
        types = List.copyOf(types);
        options = Map.copyOf(options);
    }

    /** Bound of the session table. */
    public int maxSessions() {
        return limits.maxSessions();
    }

    /**
     * The packet path {@code --opt packet.portable} asks for; the app's datagrams too are read
     * the path's way.
     *
     * @throws UsageException when the option's value is refused
     */
    public PacketPath packetPath() {
        try {
            return PacketPath.forOptions(options);
        } catch (TransportException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
