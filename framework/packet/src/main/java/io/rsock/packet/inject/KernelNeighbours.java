package io.rsock.packet.inject;

import io.rsock.packet.LinuxOnly;
import io.rsock.packet.device.RouteTable;
import io.rsock.packet.link.MacAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux path's next hops for pcap injection: the route from {@code /proc/net/route} and the
 * MAC from the kernel's neighbour cache ({@code /proc/net/arp}), each re-read at most once a
 * second. A next hop the kernel has not resolved yet is a counted drop until it has; we nudge the
 * kernel to resolve it. Not thread-safe: the injector calls it under its own lock.
 */
@LinuxOnly
public final class KernelNeighbours implements NextHops {
    private static final Logger log = LoggerFactory.getLogger(KernelNeighbours.class);
    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String device;
    private final Supplier<Optional<RouteTable>> routeSource;
    private final Supplier<NeighbourTable> neighbourSource;
    private final LongAdder noNeighbour = new LongAdder();
    private Optional<RouteTable> routes = Optional.empty();
    private NeighbourTable neighbours;
    private long readAt;
    private long nextResolve = System.nanoTime();
    private long nextLog;
    private int cachedDestination;
    private long cachedMac = MacAddress.NONE;

    /** With where routes and neighbours are read from. */
    public KernelNeighbours(String device, Supplier<Optional<RouteTable>> routes, Supplier<NeighbourTable> neighbours) {
        this.device = device;
        this.routeSource = routes;
        this.neighbourSource = neighbours;
    }

    /** From {@code /proc}. */
    public static KernelNeighbours readingProc(String device) {
        return new KernelNeighbours(device, RouteTable::readLinux, NeighbourTable::readLinux);
    }

    @Override
    public long macFor(int destination) {
        long now = System.nanoTime();
        // The cached answer lives as long as the tables it came from: a new gateway, or a neighbour
        // whose MAC changed, is followed within a second instead of never.
        boolean fresh = neighbours != null && now - readAt < REREAD_NANOS;
        if (cachedMac != MacAddress.NONE && cachedDestination == destination && fresh) {
            return cachedMac;
        }
        if (!fresh) {
            routes = routeSource.get();
            neighbours = neighbourSource.get();
            readAt = now;
            cachedMac = MacAddress.NONE;
        }
        int hop = routes.flatMap(t -> t.lookup(destination)).map(r -> r.nextHop(destination)).orElse(destination);
        String hopText = (hop >>> 24) + "." + (hop >>> 16 & 0xFF) + "." + (hop >>> 8 & 0xFF) + "." + (hop & 0xFF);
        Optional<byte[]> mac = neighbours.lookup(device, hopText);
        if (mac.isEmpty()) {
            noNeighbour.increment();
            if (now - nextResolve >= 0) {
                nextResolve = now + REREAD_NANOS;
                askKernelToResolve(hopText);
            }
            if (now - nextLog >= 0) {
                nextLog = now + LOG_INTERVAL_NANOS;
                log.warn("pcap injector: next hop {} has no entry in the neighbour cache of {} (packets dropped: {}); "
                        + "'ping -c1 {}' once, or use the raw socket injector", hopText, device, noNeighbour.sum(), hopText);
            }
            return MacAddress.NONE;
        }
        cachedDestination = destination;
        cachedMac = MacAddress.of(mac.get());
        return cachedMac;
    }

    /**
     * We have no ARP of our own here, but the kernel resolves a neighbour as soon as it has
     * something to send there: one empty datagram to the discard port (9) of the next hop, at most
     * once a second.
     */
    private static void askKernelToResolve(String hop) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(new byte[0], 0, InetAddress.getByName(hop), 9));
        } catch (IOException e) {
            // no route or not permitted: the drop stays counted and the warning says what to do
        }
    }

    @Override
    public long unknownDrops() {
        return noNeighbour.sum();
    }
}
