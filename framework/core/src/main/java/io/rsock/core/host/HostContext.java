package io.rsock.core.host;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.OptionValues;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import io.rsock.core.stats.Counters;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** The {@link TransportContext} the host gives each transport it starts. */
public final class HostContext implements TransportContext {
    /** The {@code --opt} keys the context itself reads, for the host's check of the user's keys. */
    public static final Map<String, String> KEYS = Map.of(
            "mtu", "path MTU in bytes, IP header included, for every transport (default: the route's device, at most 1500)");

    private final Role role;
    private final InetAddress peer;
    private final PacketAccess packets;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final Map<String, String> options;
    private final PathMtu pathMtu;
    private final HandshakeTokens tokens;

    /** @throws TransportException when {@code --opt mtu} is not a path MTU */
    public HostContext(Role role, InetAddress peer, PacketAccess packets, ScheduledExecutorService scheduler,
            Counters counters, Map<String, String> options, HandshakeTokens tokens) throws TransportException {
        this.role = role;
        this.peer = peer;
        this.packets = packets;
        this.scheduler = scheduler;
        this.counters = counters;
        this.options = Map.copyOf(options);
        this.pathMtu = new PathMtu(OptionValues.mtu(option("mtu"), 0));
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
    public Counter counter(String name, CounterKind kind, String help) {
        return counters.declare(name, kind, help);
    }

    @Override
    public int pathMtu(InetAddress remote) {
        return pathMtu.of(remote);
    }

    @Override
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    @Override
    public HandshakeTokens handshakeTokens() {
        return tokens;
    }

    /** The packet path's: {@code recvmmsg} batches on Linux, one datagram per call on the portable path. */
    @Override
    public DatagramBatch datagramBatch(int capacity, int maxSize) {
        return packets.path().datagramBatch(capacity, maxSize);
    }

    /** The packet path's: {@code UDP_SEGMENT} sends on Linux, one datagram per call on the portable path. */
    @Override
    public DatagramSender datagramSender() {
        return packets.path().datagramSender();
    }
}
