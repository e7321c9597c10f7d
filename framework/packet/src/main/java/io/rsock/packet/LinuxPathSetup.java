package io.rsock.packet;

import io.rsock.api.TransportException;
import io.rsock.packet.capture.CaptureSizing;
import io.rsock.packet.capture.LinkLearner;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.ReceiveOffloads;
import io.rsock.packet.device.Route;
import io.rsock.packet.device.RouteLookup;
import io.rsock.packet.device.RouteTable;
import io.rsock.packet.inject.KernelNeighbours;
import io.rsock.packet.inject.PcapL2Injector;
import io.rsock.packet.inject.RawSocketInjector;
import io.rsock.packet.inject.SplitNextHops;
import io.rsock.packet.link.LinkNeighbours;
import io.rsock.packet.link.LocalLink;
import io.rsock.packet.link.NextHopProbe;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Optional;

/** The Linux path: routes from {@code /proc}, the device's offloads from ethtool, a raw socket (or pcap with the kernel's neighbours). */
@LinuxOnly
final class LinuxPathSetup implements PathSetup {
    /** How long one probe of an IPv6 next hop waits for the kernel's frame. */
    private static final long PROBE_WAIT_MILLIS = 1000;
    private final Optional<RouteTable> routes = RouteTable.readLinux();

    @Override
    public Device device(PacketLayerOptions options) throws TransportException {
        RouteLookup lookup = routes.isPresent() ? routes.get() : RouteLookup.NONE;
        return new DeviceSelector(lookup).select(options.device(), options.localAddress(), options.peerHint());
    }

    @Override
    public CaptureSizing sizing(Device device) {
        return CaptureSizing.forDevice(device.mtu(), ReceiveOffloads.mayMerge(device.name()));
    }

    @Override
    public Sending sending(Device device, int datalink, PacketLayerOptions options) throws TransportException {
        String hop = nextHop(options);
        if (options.injector() == InjectorKind.RAW) {
            return new Sending(RawSocketInjector.open(), LinkLearner.NONE,
                    "raw socket injection, batched sends; next hop" + hop + ": the kernel routes and resolves it", null);
        }
        KernelNeighbours neighbours = KernelNeighbours.readingProc(device.name());
        LocalLink link = LocalLink.of(device);
        // IPv6 neighbours are not in /proc: learned from frames as the portable path does (the client probes its servers).
        NextHopProbe probe = new NextHopProbe(device, link, PROBE_WAIT_MILLIS);
        LinkNeighbours six = new LinkNeighbours(link, options.peerHint() != null ? probe::probe : null, System::nanoTime);
        try {
            return new Sending(PcapL2Injector.open(device, link.mac(), new SplitNextHops(neighbours, six)), six,
                    "pcap L2 injection; next hop" + hop + ", its MAC from the kernel's neighbour cache (/proc/net/arp); "
                            + "IPv6 next hops from frames", six);
        } catch (TransportException | RuntimeException e) {
            six.close();
            throw e;
        }
    }

    /** {@code " 10.0.0.1 for 10.0.1.2 (/proc/net/route)"}, or "" without a peer. */
    private String nextHop(PacketLayerOptions options) {
        if (!(options.peerHint() instanceof Inet4Address peer) || routes.isEmpty()) {
            return "";
        }
        int address = ByteBuffer.wrap(peer.getAddress()).getInt();
        Optional<Route> route = routes.get().lookup(address);
        return route.map(r -> " " + LocalLink.format(r.nextHop(address)) + " for " + peer.getHostAddress() + " (/proc/net/route)")
                .orElse("");
    }
}
