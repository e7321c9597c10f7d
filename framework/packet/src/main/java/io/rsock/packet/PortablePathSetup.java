package io.rsock.packet;

import com.sun.jna.Platform;
import io.rsock.api.TransportException;
import io.rsock.api.codec.IpAddress;
import io.rsock.packet.capture.CaptureSizing;
import io.rsock.packet.capture.LinkLayer;
import io.rsock.packet.capture.LinkLearner;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.RouteLookup;
import io.rsock.packet.inject.NextHops;
import io.rsock.packet.inject.PcapL2Injector;
import io.rsock.packet.link.LinkNeighbours;
import io.rsock.packet.link.LocalLink;
import io.rsock.packet.link.NextHopProbe;
import java.net.InetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable path, what macOS and Windows run: the device from the kernel's choice of source
 * address, pcap L2 injection, and next hops learned from frames ({@link LinkNeighbours}). The
 * client probes its server's next hop before it sends anything.
 */
final class PortablePathSetup implements PathSetup {
    private static final Logger log = LoggerFactory.getLogger(PortablePathSetup.class);
    /** Probes at start: each one datagram, waiting this long for its frame (ARP included). */
    private static final int START_PROBES = 3;
    private static final long PROBE_WAIT_MILLIS = 1000;

    @Override
    public Device device(PacketLayerOptions options) throws TransportException {
        return new DeviceSelector(RouteLookup.NONE).select(options.device(), options.localAddress(), options.peerHint());
    }

    /**
     * Whether the device merges received packets (GRO, LRO) is a question only Linux answers, and
     * only Linux's capture ring has a slot of the snaplen per packet: whole 64 KiB slots would
     * leave a few hundred, dropped by the kernel in any stall of the capture thread. There the
     * slots are sized for the MTU (a merged packet is counted and warned about, and the Linux path
     * is the default anyway); BPF and Npcap keep packets back to back, so whole packets cost nothing.
     */
    @Override
    public CaptureSizing sizing(Device device) {
        return Platform.isLinux() ? CaptureSizing.forDevice(device.mtu(), false) : CaptureSizing.backToBack();
    }

    @Override
    public Sending sending(Device device, int datalink, PacketLayerOptions options) throws TransportException {
        LocalLink link = LocalLink.of(device);
        if (datalink != LinkLayer.DLT_EN10MB || device.loopback()) {
            return new Sending(PcapL2Injector.open(device, link.mac(), NextHops.NOT_NEEDED), LinkLearner.NONE,
                    "pcap L2 injection, no batching; no next hop: a " + LinkLayer.name(datalink) + " link has no MAC addresses", null);
        }
        NextHopProbe probe = new NextHopProbe(device, link, PROBE_WAIT_MILLIS);
        boolean client = options.peerHint() != null;
        LinkNeighbours neighbours = new LinkNeighbours(link, client ? probe::probe : null, System::nanoTime);
        try {
            String hop = client ? probeAtStart(neighbours, probe, device, options.peerHint())
                    : "next hops learned from each client's own frames (nothing probed)";
            PcapL2Injector injector = PcapL2Injector.open(device, neighbours.ownMac(), neighbours);
            return new Sending(injector, neighbours, "pcap L2 injection, no batching; " + hop, neighbours);
        } catch (TransportException | RuntimeException e) {
            neighbours.close();
            throw e;
        }
    }

    /** Finds the next hop towards the server before the first packet; says what it found. */
    private static String probeAtStart(LinkNeighbours neighbours, NextHopProbe probe, Device device, InetAddress peer)
            throws TransportException {
        IpAddress address = IpAddress.of(peer);
        for (int attempt = 1; attempt <= START_PROBES; attempt++) {
            Optional<NextHopProbe.Found> found = probe.probe(address);
            if (found.isPresent()) {
                neighbours.learned(address, found.get());
                return "next hop " + found.get().describe() + " for " + peer.getHostAddress() + ", learned from " + found.get().how();
            }
        }
        log.warn("next hop towards {}: no frame of the kernel's {} datagrams to it showed on {} within {} ms each; is {} the device "
                + "that routes there (-d)? rsock keeps probing while it sends", peer.getHostAddress(), START_PROBES, device.name(),
                PROBE_WAIT_MILLIS, device.name());
        return "next hop for " + peer.getHostAddress() + " not found yet (probing)";
    }
}
