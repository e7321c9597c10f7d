package io.rsock.core.host;

import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import io.rsock.core.config.TunnelSettings;

/** The real packet layer (pcap capture, raw injection) and firewall manager, opened on first use. */
public final class RawPacketAccess implements PacketAccess {
    private final TunnelSettings settings;

    public RawPacketAccess(TunnelSettings settings) {
        this.settings = settings;
    }

    @Override
    public PacketIO packets() throws TransportException {
        throw new TransportException("raw packet I/O is not wired yet (" + settings.device() + ")");
    }

    @Override
    public Firewall firewall() {
        return filter -> {
            throw new TransportException("firewall not wired yet");
        };
    }

    @Override
    public void close() {
    }
}
