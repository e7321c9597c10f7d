package io.rsock.packet.inject;

import io.rsock.api.TransportException;
import io.rsock.packet.capture.BpfFilter;
import io.rsock.packet.capture.LinkLayer;
import io.rsock.packet.capture.LiveCapture;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.RouteTable;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable fallback: writes whole link-layer frames with {@code pcap_sendpacket}. It bypasses
 * the kernel's IP stack, so it does what the kernel would have done for a raw socket: fills in the
 * IPv4 header checksum, and addresses Ethernet frames to the next hop's MAC, read from the
 * neighbour cache ({@code /proc/net/arp}). Limits: no ARP of its own (a next hop the kernel has not
 * resolved yet is a counted drop until it has; we nudge the kernel to resolve it), no NAT or OUTPUT firewall, the main routing table
 * only, and cooked (LINUX_SLL) devices cannot be written to.
 */
public final class PcapL2Injector implements PacketInjector {
    private static final Logger log = LoggerFactory.getLogger(PcapL2Injector.class);
    private static final int ETHER_HEADER = 14;
    private static final byte[] ZERO_MAC = new byte[6];
    private static final int MAX_FRAME = 65535 + 64;
    private static final long NEIGHBOUR_REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Device device;
    private final LiveCapture handle;
    private final int datalink;
    private final byte[] sourceMac;
    private final Supplier<Optional<RouteTable>> routeSource;
    private Optional<RouteTable> routes = Optional.empty();
    private long nextResolve = System.nanoTime();
    private final Supplier<NeighbourTable> neighbourSource;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(MAX_FRAME);
    private final LongAdder noNeighbour = new LongAdder();
    private NeighbourTable neighbours;
    private long neighboursReadAt;
    private int cachedDestination;
    private byte[] cachedMac;
    private long nextLog;
    private boolean closed;

    private PcapL2Injector(Device device, LiveCapture handle, byte[] sourceMac, Supplier<Optional<RouteTable>> routeSource,
                           Supplier<NeighbourTable> neighbourSource) {
        this.device = device;
        this.handle = handle;
        this.datalink = handle.datalink();
        this.sourceMac = sourceMac;
        this.routeSource = routeSource;
        this.neighbourSource = neighbourSource;
    }

    /** Opens a send-only pcap handle on {@code device}. */
    public static PcapL2Injector open(Device device) throws TransportException {
        return open(device, RouteTable::readLinux, NeighbourTable::readLinux);
    }

    /** With where routes and neighbours are read from, each re-read at most once a second. */
    static PcapL2Injector open(Device device, Supplier<Optional<RouteTable>> routes, Supplier<NeighbourTable> neighbours)
            throws TransportException {
        // It only sends: the smallest ring libpcap accepts will do.
        LiveCapture handle = LiveCapture.open(device.name(), 64, 64 << 10, 1000, true);
        try {
            if (!canWrite(handle.datalink())) {
                throw new TransportException("cannot inject on " + device.name() + ": datalink " + LinkLayer.name(handle.datalink())
                        + " is capture-only; use the raw socket injector");
            }
            // This handle only sends: let the kernel discard everything it would otherwise queue to it.
            handle.setFilter(BpfFilter.MATCH_NOTHING);
            return new PcapL2Injector(device, handle, sourceMac(device), routes, neighbours);
        } catch (TransportException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static boolean canWrite(int dlt) {
        return switch (dlt) {
            case LinkLayer.DLT_EN10MB, LinkLayer.DLT_NULL, LinkLayer.DLT_LOOP, LinkLayer.DLT_RAW, LinkLayer.DLT_RAW_BSD,
                    LinkLayer.LINKTYPE_RAW, LinkLayer.DLT_IPV4 -> true;
            default -> false;
        };
    }

    private static byte[] sourceMac(Device device) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(device.name());
            byte[] mac = nif == null ? null : nif.getHardwareAddress();
            return mac != null && mac.length == 6 ? mac : new byte[6];
        } catch (SocketException e) {
            return new byte[6];
        }
    }

    @Override
    public synchronized boolean send(ByteBuffer packet) {
        int length = packet.remaining();
        if (closed || length < 20 || length > MAX_FRAME - ETHER_HEADER) {
            return false;
        }
        int header = writeLinkHeader(packet.getInt(packet.position() + 16));
        if (header < 0) {
            return false;
        }
        frame.put(header, packet, packet.position(), length);
        fillIpv4Checksum(frame, header);
        return handle.sendFrame(frame.clear(), header + length);
    }

    /** Writes the link header for a packet to {@code destination}; its length, or -1 when it cannot be addressed. */
    private int writeLinkHeader(int destination) {
        switch (datalink) {
            case LinkLayer.DLT_EN10MB -> {
                byte[] mac = device.loopback() ? ZERO_MAC : nextHopMac(destination);
                if (mac == null) {
                    return -1;
                }
                frame.put(0, mac).put(6, sourceMac).putShort(12, (short) 0x0800);
                return ETHER_HEADER;
            }
            case LinkLayer.DLT_NULL -> {
                frame.order(ByteOrder.nativeOrder()).putInt(0, 2).order(ByteOrder.BIG_ENDIAN);
                return 4;
            }
            case LinkLayer.DLT_LOOP -> {
                frame.putInt(0, 2);
                return 4;
            }
            default -> {
                return 0;
            }
        }
    }

    private byte[] nextHopMac(int destination) {
        long now = System.nanoTime();
        // The cached answer lives as long as the tables it came from: a new gateway, or a neighbour
        // whose MAC changed, is followed within a second instead of never.
        boolean fresh = neighbours != null && now - neighboursReadAt < NEIGHBOUR_REREAD_NANOS;
        if (cachedMac != null && cachedDestination == destination && fresh) {
            return cachedMac;
        }
        if (!fresh) {
            routes = routeSource.get();
            neighbours = neighbourSource.get();
            neighboursReadAt = now;
            cachedMac = null;
        }
        int hop = routes.flatMap(t -> t.lookup(destination)).map(r -> r.nextHop(destination)).orElse(destination);
        String hopText = (hop >>> 24) + "." + (hop >>> 16 & 0xFF) + "." + (hop >>> 8 & 0xFF) + "." + (hop & 0xFF);
        Optional<byte[]> mac = neighbours.lookup(device.name(), hopText);
        if (mac.isEmpty()) {
            noNeighbour.increment();
            if (now - nextResolve >= 0) {
                nextResolve = now + NEIGHBOUR_REREAD_NANOS;
                askKernelToResolve(hopText);
            }
            if (now - nextLog >= 0) {
                nextLog = now + LOG_INTERVAL_NANOS;
                log.warn("pcap injector: next hop {} has no entry in the neighbour cache of {} (packets dropped: {}); "
                        + "'ping -c1 {}' once, or use the raw socket injector", hopText, device.name(), noNeighbour.sum(), hopText);
            }
            return null;
        }
        cachedDestination = destination;
        cachedMac = mac.get();
        return cachedMac;
    }

    /**
     * We have no ARP of our own, but the kernel resolves a neighbour as soon as it has something to
     * send there: one empty datagram to the discard port (9) of the next hop, at most once a second.
     */
    private static void askKernelToResolve(String hop) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.send(new java.net.DatagramPacket(new byte[0], 0, java.net.InetAddress.getByName(hop), 9));
        } catch (java.io.IOException e) {
            // no route or not permitted: the drop stays counted and the warning says what to do
        }
    }

    /** Packets dropped because the next hop's MAC was unknown. */
    public long noNeighbourDrops() {
        return noNeighbour.sum();
    }

    /** The kernel fills in the header checksum for a raw socket; here nobody would, so we do. */
    static void fillIpv4Checksum(ByteBuffer b, int off) {
        int ihl = (b.get(off) & 0x0F) * 4;
        b.putShort(off + 10, (short) 0);
        long sum = 0;
        for (int i = 0; i < ihl; i += 2) {
            sum += b.getShort(off + i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        b.putShort(off + 10, (short) ~sum);
    }

    @Override
    public String name() {
        return "pcap";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            handle.close();
        }
    }
}
