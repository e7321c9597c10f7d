package io.rsock.core.host;

import io.rsock.api.TransportException;
import io.rsock.core.config.PortList;
import java.io.IOException;
import java.util.Map;

/**
 * What {@link TunnelRun} needs of either end of the tunnel ({@link TunnelClient} or
 * {@link TunnelServer}): start it, ask it for its state, move it to new ports, close it.
 */
public interface TunnelEnd extends AutoCloseable {
    /** Opens the app or target side and the conns (client) or listeners (server). */
    void start() throws IOException, TransportException;

    /** Live state for {@code rsock status}. */
    Map<String, Object> status();

    /** The few numbers {@code --metrics} exports as gauges (sessions, conns, ...). */
    Map<String, Number> gauges();

    /** {@code rsock reload}: follows a new {@code -p}; returns what changed, for the user. */
    String reloadPorts(PortList ports) throws TransportException;

    @Override
    void close();
}
