package io.rsock.core.host;

import io.rsock.api.Counter;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import io.rsock.core.stats.Counters;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** The {@link TransportContext} the host gives each transport it starts. */
public final class HostContext implements TransportContext {
    private final Role role;
    private final InetAddress peer;
    private final PacketAccess packets;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final Map<String, String> options;
    private final HandshakeTokens tokens;

    public HostContext(Role role, InetAddress peer, PacketAccess packets, ScheduledExecutorService scheduler,
            Counters counters, Map<String, String> options, HandshakeTokens tokens) {
        this.role = role;
        this.peer = peer;
        this.packets = packets;
        this.scheduler = scheduler;
        this.counters = counters;
        this.options = Map.copyOf(options);
        this.tokens = tokens;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public Optional<InetAddress> peerHint() {
        return Optional.ofNullable(peer);
    }

    @Override
    public PacketIO packets() throws TransportException {
        return packets.packets();
    }

    @Override
    public Firewall firewall() {
        return packets.firewall();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Counter counter(String name) {
        return counters.get(name);
    }

    @Override
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** The packet path's: {@code recvmmsg} batches on Linux, one datagram per call on the portable path. */
    @Override
    public HandshakeTokens handshakeTokens() {
        return tokens;
    }

    @Override
    public io.rsock.api.io.DatagramBatch datagramBatch(int capacity, int maxSize) {
        return packets.path().datagramBatch(capacity, maxSize);
    }

    /** The packet path's: {@code UDP_SEGMENT} sends on Linux, one datagram per call on the portable path. */
    @Override
    public io.rsock.api.io.DatagramSender datagramSender() {
        return packets.path().datagramSender();
    }
}
