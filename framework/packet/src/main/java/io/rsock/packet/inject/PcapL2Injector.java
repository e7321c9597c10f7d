package io.rsock.packet.inject;

import com.sun.jna.Platform;
import io.rsock.api.TransportException;
import io.rsock.packet.capture.BpfFilter;
import io.rsock.packet.capture.LinkLayer;
import io.rsock.packet.capture.LiveCapture;
import io.rsock.packet.device.Device;
import io.rsock.packet.link.MacAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes whole link-layer frames with {@code pcap_sendpacket}: the portable path's only way to
 * send, and the Linux path's when asked. It bypasses the kernel's IP stack, so it does what the
 * kernel would have done for a raw socket: fills in the IPv4 header checksum, and addresses
 * Ethernet frames (EtherType 0x0800 or 0x86DD by the packet's version) to the next hop's MAC, which
 * {@link NextHops} knows. Limits: no NAT or OUTPUT firewall, and cooked (LINUX_SLL) devices cannot
 * be written to.
 */
public final class PcapL2Injector implements PacketInjector {
    private static final int ETHER_HEADER = 14;
    private static final int MAX_FRAME = 65535 + 64;
    private static final int AF_INET = 2;
    /** AF_INET6 in this system's loopback header (BSD NULL): macOS 30, FreeBSD 28, Windows 23, Linux 10, else 24. */
    private static final int AF_INET6 = Platform.isMac() ? 30 : Platform.isFreeBSD() ? 28 : Platform.isWindows() ? 23
            : Platform.isLinux() ? 10 : 24;
    /** AF_INET6 in an OpenBSD DLT_LOOP header. */
    private static final int LOOP_AF_INET6 = 24;

    private final LiveCapture handle;
    private final int datalink;
    private final boolean loopback;
    private final long sourceMac;
    private final NextHops nextHops;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(MAX_FRAME);
    private boolean closed;

    private PcapL2Injector(LiveCapture handle, boolean loopback, long sourceMac, NextHops nextHops) {
        this.handle = handle;
        this.datalink = handle.datalink();
        this.loopback = loopback;
        this.sourceMac = sourceMac;
        this.nextHops = nextHops;
    }

    /**
     * Opens a send-only pcap handle on {@code device}.
     *
     * @param sourceMac this device's MAC, the frames' source ({@link MacAddress})
     * @param nextHops where frames to each destination go
     */
    public static PcapL2Injector open(Device device, long sourceMac, NextHops nextHops) throws TransportException {
        // It only sends: the smallest ring libpcap accepts will do.
        LiveCapture handle = LiveCapture.open(device.name(), 64, 64 << 10, 1000, true);
        try {
            if (!canWrite(handle.datalink())) {
                throw new TransportException("cannot inject on " + device.name() + ": datalink " + LinkLayer.name(handle.datalink())
                        + " is capture-only; pass another -d");
            }
            // This handle only sends: let the kernel discard everything it would otherwise queue to it.
            handle.setFilter(BpfFilter.MATCH_NOTHING);
            return new PcapL2Injector(handle, device.loopback(), sourceMac == MacAddress.NONE ? 0 : sourceMac, nextHops);
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

    @Override
    public synchronized boolean send(ByteBuffer packet) {
        int length = packet.remaining();
        boolean v6 = length > 0 && (packet.get(packet.position()) & 0xF0) == 0x60;
        if (closed || length < (v6 ? 40 : 20) || length > MAX_FRAME - ETHER_HEADER) {
            return false;
        }
        int header = writeLinkHeader(packet, v6);
        if (header < 0) {
            return false;
        }
        frame.put(header, packet, packet.position(), length);
        if (!v6) {
            fillIpv4Checksum(frame, header);
        }
        return handle.sendFrame(frame.clear(), header + length);
    }

    /** Writes the link header for {@code packet}; its length, or -1 when it cannot be addressed. */
    private int writeLinkHeader(ByteBuffer packet, boolean v6) {
        switch (datalink) {
            case LinkLayer.DLT_EN10MB -> {
                int at = packet.position();
                long mac = loopback ? 0 : v6 ? nextHops.macFor(packet.getLong(at + 24), packet.getLong(at + 32))
                        : nextHops.macFor(packet.getInt(at + 16));
                if (mac == MacAddress.NONE) {
                    return -1;
                }
                MacAddress.write(frame, 0, mac);
                MacAddress.write(frame, 6, sourceMac);
                frame.putShort(12, (short) (v6 ? 0x86DD : 0x0800));
                return ETHER_HEADER;
            }
            case LinkLayer.DLT_NULL -> {
                // BSD loopback: the address family in the sending host's byte order.
                frame.order(ByteOrder.nativeOrder()).putInt(0, v6 ? AF_INET6 : AF_INET).order(ByteOrder.BIG_ENDIAN);
                return 4;
            }
            case LinkLayer.DLT_LOOP -> {
                frame.putInt(0, v6 ? LOOP_AF_INET6 : AF_INET);
                return 4;
            }
            case LinkLayer.DLT_IPV4 -> {
                return v6 ? -1 : 0; // a link of IPv4 only
            }
            default -> {
                return 0;
            }
        }
    }

    /** Packets dropped because the next hop's MAC was unknown. */
    public long noNeighbourDrops() {
        return nextHops.unknownDrops();
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
