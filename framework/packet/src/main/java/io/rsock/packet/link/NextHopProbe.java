package io.rsock.packet.link;

import io.rsock.api.TransportException;
import io.rsock.api.codec.IpAddress;
import io.rsock.packet.capture.LinkLayer;
import io.rsock.packet.capture.LiveCapture;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the next hop towards a peer with what every OS has. The kernel knows it (its routes, its
 * neighbour cache, ARP), so let the kernel send one ordinary UDP datagram to the peer and read, in
 * a capture of our device, the Ethernet header of the frame it sends: the destination MAC is the
 * next hop's, the source MAC ours, and seeing it at all proves the device is the right one. An
 * empty neighbour cache only delays the frame until the kernel's ARP is answered (the reply, seen
 * too, names the next hop's address). A peer on our own subnet is asked directly by ARP through
 * pcap when no frame shows.
 *
 * <p>Bounded: one datagram per {@link #probe}, to the discard port ({@value #DISCARD_PORT}) of the
 * peer rsock is configured for, where nothing listens; at most one ARP request.
 */
public final class NextHopProbe {
    /** The port the probe datagram goes to: discard, where nothing is expected to listen. */
    public static final int DISCARD_PORT = 9;
    private static final byte[] PAYLOAD = "rsock next-hop probe".getBytes(StandardCharsets.US_ASCII);
    private static final int SNAPLEN = 256;
    private static final int RING_BYTES = 256 << 10;
    private static final int READ_TIMEOUT_MILLIS = 50;

    private final Device device;
    private final LocalLink link;
    private final long waitNanos;

    /**
     * @param device where the frames must show
     * @param link our MAC (for ARP requests) and subnet
     * @param waitMillis how long one probe waits for the frame, and then for an ARP reply
     */
    public NextHopProbe(Device device, LocalLink link, long waitMillis) {
        this.device = device;
        this.link = link;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    }

    /**
     * What the probe learned about the next hop towards a peer.
     *
     * @param mac the next hop's MAC
     * @param ownMac our MAC as the frame showed it, or {@link MacAddress#NONE}
     * @param address the next hop's IPv4 address when an ARP exchange named it, else 0
     * @param how how it was learned, for logs
     */
    public record Found(long mac, long ownMac, int address, String how) {
        /** {@code 02:00:00:00:00:01 (10.0.0.1)}, the address only when known. */
        public String describe() {
            return MacAddress.format(mac) + (address == 0 ? "" : " (" + LocalLink.format(address) + ")");
        }
    }

    /**
     * One probe towards {@code peer}: empty when no frame showed on the device in time.
     *
     * @throws TransportException when the device cannot be captured on or carries no Ethernet
     */
    public Optional<Found> probe(int peer) throws TransportException {
        return probe(IpAddress.v4(peer));
    }

    /**
     * One probe towards an IPv4 or IPv6 {@code peer}. An IPv6 next hop is learned from the kernel's
     * own frame alone: the kernel's neighbour discovery runs before that frame leaves.
     *
     * @throws TransportException when the device cannot be captured on, carries no Ethernet, or has no
     *     address of the peer's family
     */
    public Optional<Found> probe(IpAddress peer) throws TransportException {
        InetAddress peerAddress = peer.toInetAddress();
        InetAddress source = DeviceSelector.sourceFor(device, peerAddress);
        if (source == null) {
            throw new TransportException("device " + device.name() + " has no IPv" + peer.version() + " address to reach " + peer);
        }
        try (LiveCapture capture = LiveCapture.open(device.name(), SNAPLEN, RING_BYTES, READ_TIMEOUT_MILLIS, false);
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
            if (capture.datalink() != LinkLayer.DLT_EN10MB) {
                throw new TransportException("device " + device.name() + " has datalink " + LinkLayer.name(capture.datalink())
                        + ", not Ethernet: it has no next-hop MAC to learn");
            }
            int localPort = socket.getLocalPort();
            capture.setFilter("(udp and src host " + source.getHostAddress() + " and src port " + localPort + " and dst host "
                    + peerAddress.getHostAddress() + " and dst port " + DISCARD_PORT + ") or (arp and arp[6:2] == 2)");
            ByteBuffer frame = ByteBuffer.allocateDirect(SNAPLEN);
            List<LinkFrames.ArpAnswer> answers = new ArrayList<>();
            Optional<Found> seen = Optional.empty();
            if (sent(socket, peerAddress)) {
                seen = awaitDatagram(capture, frame, IpAddress.of(source), localPort, peer, answers);
            }
            if (seen.isPresent() || peer.isV6() || !link.onLink(peer.v4()) || link.mac() == MacAddress.NONE) {
                return seen;
            }
            return askByArp(capture, frame, peer.v4(), answers);
        } catch (IOException e) {
            throw new TransportException("cannot probe the next hop to " + peer + " from " + device + ": " + e.getMessage(), e);
        }
    }

    /** Sends the probe datagram; false when the system refuses it (a firewall's OUTPUT rule, no route). */
    private static boolean sent(DatagramSocket socket, InetAddress peer) {
        try {
            socket.send(new DatagramPacket(PAYLOAD, PAYLOAD.length, peer, DISCARD_PORT));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Found> awaitDatagram(LiveCapture capture, ByteBuffer frame, IpAddress source, int localPort, IpAddress peer,
            List<LinkFrames.ArpAnswer> answers) {
        long deadline = System.nanoTime() + waitNanos;
        while (System.nanoTime() - deadline < 0) {
            int n = capture.next(frame);
            if (n <= 0) {
                continue;
            }
            frame.limit(n);
            LinkFrames.ArpAnswer arp = LinkFrames.arpReply(frame);
            if (arp != null) {
                answers.add(arp);
            } else if (LinkFrames.isDatagram(frame, source, localPort, peer, DISCARD_PORT)) {
                long hop = LinkFrames.destination(frame);
                int address = peer.isV6() ? 0 : answers.stream().filter(a -> a.mac() == hop).mapToInt(LinkFrames.ArpAnswer::address)
                        .findFirst().orElse(link.onLink(peer.v4()) ? peer.v4() : 0);
                return Optional.of(new Found(hop, LinkFrames.source(frame), address,
                        "the kernel's own frame to " + peer + ":" + DISCARD_PORT));
            }
        }
        return Optional.empty();
    }

    private Optional<Found> askByArp(LiveCapture capture, ByteBuffer frame, int peer, List<LinkFrames.ArpAnswer> answers) {
        for (LinkFrames.ArpAnswer a : answers) {
            if (a.address() == peer) {
                return Optional.of(new Found(a.mac(), MacAddress.NONE, peer, "ARP through pcap"));
            }
        }
        int length = LinkFrames.arpRequest(frame.clear(), link.mac(), link.address(), peer);
        if (!capture.sendFrame(frame, length)) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + waitNanos;
        while (System.nanoTime() - deadline < 0) {
            int n = capture.next(frame);
            if (n > 0) {
                frame.limit(n);
                LinkFrames.ArpAnswer arp = LinkFrames.arpReply(frame);
                if (arp != null && arp.address() == peer) {
                    return Optional.of(new Found(arp.mac(), MacAddress.NONE, peer, "ARP through pcap"));
                }
            }
        }
        return Optional.empty();
    }
}
