package io.rsock.core.host;

import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import io.rsock.packet.PacketPath;
import java.util.Map;

/**
 * Where the host gets the raw packet layer and the firewall from: the real ones (pcap, raw socket,
 * nftables) in a run, in-memory ones in tests. Opened lazily, because a run over plain UDP needs
 * neither and must work without root.
 */
public interface PacketAccess extends AutoCloseable {
    PacketIO packets() throws TransportException;

    /** The run's packet path: the transports' datagram batches and sender are the path's too. */
    default PacketPath path() {
        return PacketPath.platformDefault();
    }

    Firewall firewall();

    /**
     * The packet layer's counters (captured, delivered, unmatched, malformed, ...), empty before it is
     * opened: every captured packet is one of delivered, unmatched, malformed or receiver_errors.
     */
    default Map<String, Long> stats() {
        return Map.of();
    }

    /** Closes the packet layer and removes every firewall rule this run installed. */
    @Override
    void close();
}
