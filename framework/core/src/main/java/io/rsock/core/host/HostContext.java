package io.rsock.core.host;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.OptionValues;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import io.rsock.core.stats.Counters;
import io.rsock.packet.sys.GsoDatagramSender;
import io.rsock.packet.sys.MmsgDatagramBatch;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** The {@link TransportContext} the host gives each transport it starts. */
public final class HostContext implements TransportContext {
    /** One for the process: it holds only per-thread scratch, and whether the kernel takes UDP_SEGMENT. */
    private static final DatagramSender SENDER = GsoDatagramSender.create();

    private final Role role;
    private final InetAddress peer;
    private final PacketAccess packets;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final Map<String, String> options;
    private final PathMtu pathMtu;

    /** @throws TransportException when {@code --opt mtu} is not a path MTU */
    public HostContext(Role role, InetAddress peer, PacketAccess packets, ScheduledExecutorService scheduler,
            Counters counters, Map<String, String> options) throws TransportException {
        this.role = role;
        this.peer = peer;
        this.packets = packets;
        this.scheduler = scheduler;
        this.counters = counters;
        this.options = Map.copyOf(options);
        this.pathMtu = new PathMtu(OptionValues.mtu(option("mtu"), 0));
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
    public DatagramBatch datagramBatch(int capacity, int maxSize) {
        return MmsgDatagramBatch.create(capacity, maxSize);
    }

    @Override
    public DatagramSender datagramSender() {
        return SENDER;
    }
}
