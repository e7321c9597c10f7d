package io.rsock.testkit.memory;

import io.rsock.api.TransportException;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One host of an {@link InMemoryPacketNetwork}: the {@link PacketIO} a transport under test gets.
 * Demultiplexes inbound packets to registrations as the host's capture does.
 */
final class MemoryEndpoint implements PacketIO {
    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMP_ECHO_REQUEST = 8;

    private final InMemoryPacketNetwork network;
    private final Inet4Address address;
    private final int mtu;
    private final List<Reg> registrations = new CopyOnWriteArrayList<>();

    MemoryEndpoint(InMemoryPacketNetwork network, Inet4Address address, int mtu) {
        this.network = network;
        this.address = address;
        this.mtu = mtu;
    }

    @Override
    public Inet4Address localAddress() {
        return address;
    }

    @Override
    public int mtu() {
        return mtu;
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
     * Hands {@code packet} (an IPv4 packet at position 0) to the most specific matching registration.
     *
     * @return whether a registration took it
     */
    boolean deliver(ByteBuffer packet) {
        int ihl = Ipv4.headerLength(packet, 0);
        int total = Ipv4.totalLength(packet, 0);
        int protocol = Ipv4.protocol(packet, 0);
        int source = Ipv4.source(packet, 0);
        boolean hasPorts = (protocol == PacketFilter.TCP || protocol == PacketFilter.UDP) && total >= ihl + 4;
        int srcPort = hasPorts ? packet.getShort(ihl) & 0xFFFF : 0;
        int dstPort = hasPorts ? packet.getShort(ihl + 2) & 0xFFFF : 0;
        int echoId = -1;
        if (protocol == PacketFilter.ICMP && total >= ihl + 8) {
            int type = packet.get(ihl) & 0xFF;
            if (type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY) {
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
        final int remote;
        final AtomicBoolean closed = new AtomicBoolean();

        Reg(PacketFilter filter, PacketReceiver receiver) {
            this.filter = filter;
            this.receiver = receiver;
            this.remote = filter.remote() == null ? 0 : ByteBuffer.wrap(filter.remote().getAddress()).getInt();
        }

        /**
         * TCP and UDP match ports as a BPF filter would; ICMP matches the echo identifier only when
         * the filter names one (PacketFilter's contract), so several ICMP tunnels can share a host.
         */
        boolean matches(int protocol, int source, boolean hasPorts, int srcPort, int dstPort, int echoId) {
            if (protocol != filter.protocol() || (filter.remote() != null && source != remote)) {
                return false;
            }
            if (protocol == PacketFilter.ICMP) {
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
