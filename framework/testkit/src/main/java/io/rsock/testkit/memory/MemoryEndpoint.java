package io.rsock.testkit.memory;

import io.rsock.api.TransportException;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One host of an {@link InMemoryPacketNetwork}: the {@link PacketIO} a transport under test gets,
 * with an IPv4 address, an IPv6 one, or both. Demultiplexes inbound packets of either family to
 * registrations as the host's capture does.
 */
final class MemoryEndpoint implements PacketIO {
    private final InMemoryPacketNetwork network;
    private final Inet4Address address;
    private final Inet6Address address6;
    private final int mtu;
    private final List<Reg> registrations = new CopyOnWriteArrayList<>();

    MemoryEndpoint(InMemoryPacketNetwork network, Inet4Address address, Inet6Address address6, int mtu) {
        this.network = network;
        this.address = address;
        this.address6 = address6;
        this.mtu = mtu;
    }

    @Override
    public Inet4Address localAddress() {
        return address;
    }

    @Override
    public InetAddress sourceAddress(InetAddress destination) {
        return destination instanceof Inet4Address ? address : address6;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** The network's limit on the path to {@code destination} ({@link InMemoryPacketNetwork#limitPath}), or the MTU. */
    @Override
    public int pathMtu(InetAddress destination) {
        return Math.min(mtu, network.pathLimit(IpAddress.of(destination)));
    }

    @Override
    public Registration register(PacketFilter filter, PacketReceiver receiver) throws TransportException {
        Reg r = new Reg(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(receiver, "receiver"));
        registrations.add(r);
        return r;
    }

    /** Larger than the MTU fails as a raw socket with DF set fails ({@code EMSGSIZE}): the sender learns at once. */
    @Override
    public boolean send(ByteBuffer packet) {
        return network.send(packet, mtu);
    }

    /**
     * Hands {@code packet} (an IP packet at position 0) to the most specific matching registration.
     *
     * @return whether a registration took it
     */
    boolean deliver(ByteBuffer packet) {
        int ihl = Ip.headerLength(packet, 0);
        int total = Ip.totalLength(packet, 0);
        int protocol = Ip.protocol(packet, 0);
        IpAddress source = IpAddress.source(packet, 0);
        boolean hasPorts = (protocol == PacketFilter.TCP || protocol == PacketFilter.UDP) && total >= ihl + 4;
        int srcPort = hasPorts ? packet.getShort(ihl) & 0xFFFF : 0;
        int dstPort = hasPorts ? packet.getShort(ihl + 2) & 0xFFFF : 0;
        int echoId = -1;
        if ((protocol == PacketFilter.ICMP || protocol == PacketFilter.ICMPV6) && total >= ihl + 8) {
            int type = packet.get(ihl) & 0xFF;
            int version = Ip.version(packet, 0);
            if (type == Icmp.echoRequest(version) || type == Icmp.echoReply(version)) {
                echoId = packet.getShort(ihl + 4) & 0xFFFF;
            }
        }
        Reg best = null;
        for (Reg r : registrations) {
            if (r.matches(protocol, source, hasPorts, srcPort, dstPort, echoId)
                    && (best == null || r.filter.specificity() > best.filter.specificity())) {
                best = r;
            }
        }
        if (best == null) {
            return false;
        }
        best.receiver.received(packet);
        return true;
    }

    /** A registered filter; closing it stops delivery. */
    private final class Reg implements Registration {
        final PacketFilter filter;
        final PacketReceiver receiver;
        final IpAddress remote;
        final AtomicBoolean closed = new AtomicBoolean();

        Reg(PacketFilter filter, PacketReceiver receiver) {
            this.filter = filter;
            this.receiver = receiver;
            this.remote = filter.remoteAddress() == null ? null : IpAddress.of(filter.remoteAddress());
        }

        /**
         * TCP and UDP match ports as a BPF filter would; ICMP matches the echo identifier only when
         * the filter names one (PacketFilter's contract), so several ICMP tunnels can share a host.
         */
        boolean matches(int protocol, IpAddress source, boolean hasPorts, int srcPort, int dstPort, int echoId) {
            if (protocol != filter.protocol() || (remote != null && !remote.equals(source))) {
                return false;
            }
            if (protocol == PacketFilter.ICMP || protocol == PacketFilter.ICMPV6) {
                return filter.localPort() == 0 || filter.localPort() == echoId;
            }
            if (!hasPorts) {
                return filter.localPort() == 0 && filter.remotePort() == 0;
            }
            return (filter.localPort() == 0 || filter.localPort() == dstPort)
                    && (filter.remotePort() == 0 || filter.remotePort() == srcPort);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                registrations.remove(this);
            }
        }
    }
}
