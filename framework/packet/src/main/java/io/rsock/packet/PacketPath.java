package io.rsock.packet;

import com.sun.jna.Platform;
import io.rsock.api.OptionValues;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import io.rsock.packet.sys.LinuxDatagrams;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The two ways rsock reaches the network, chosen once per run, like wireguard-go's per-platform
 * {@code Bind}s. Everything that only Linux has lives behind {@link #LINUX}; {@link #PORTABLE} is
 * what macOS and Windows run, and {@code --opt packet.portable=true} runs it on Linux too, so
 * that Linux tests prove it.
 */
public enum PacketPath {
    /**
     * Raw IPv4 socket injection (the kernel routes, resolves neighbours, NATs), batched sends and
     * receives ({@code sendmmsg}, {@code recvmmsg}), UDP segmentation, routes and receive offloads
     * read from the kernel.
     */
    LINUX("linux"),
    /**
     * Only what every OS with libpcap (or Npcap) has: pcap capture, pcap link-layer injection, and
     * next hops learned from frames (the kernel's own datagram to the peer, the peer's frames, ARP
     * through pcap); one datagram per call on kernel UDP sockets.
     */
    PORTABLE("portable");

    private final String label;

    PacketPath(String label) {
        this.label = label;
    }

    /** {@link #LINUX} on Linux, {@link #PORTABLE} elsewhere. */
    public static PacketPath platformDefault() {
        return Platform.isLinux() ? LINUX : PORTABLE;
    }

    /**
     * The path {@code --opt packet.portable} asks for: the portable one when it is true or when
     * this is not Linux, the Linux one otherwise.
     *
     * @throws TransportException when the value is not a boolean, or asks for the Linux path off Linux
     */
    public static PacketPath forOptions(Map<String, String> options) throws TransportException {
        PacketPath dflt = platformDefault();
        String key = PacketLayerOptions.PORTABLE_KEY;
        boolean portable = OptionValues.bool(Optional.ofNullable(options.get(key)), key, dflt == PORTABLE);
        if (!portable && dflt == PORTABLE) {
            throw new TransportException("--opt " + key + "=false: only Linux has another packet path than the portable one");
        }
        return portable ? PORTABLE : LINUX;
    }

    /** {@code "linux"} or {@code "portable"}: what the start-up line says. */
    public String label() {
        return label;
    }

    /** The packet layer's set-up for this path. */
    PathSetup setup() {
        return this == LINUX ? new LinuxPathSetup() : new PortablePathSetup();
    }

    /** A batch for reading datagrams from a UDP channel: {@code recvmmsg} on Linux, one call per datagram otherwise. */
    public DatagramBatch datagramBatch(int capacity, int maxSize) {
        return this == LINUX ? LinuxDatagrams.batch(capacity, maxSize) : DatagramBatch.portable(capacity, maxSize);
    }

    /**
     * What the kernel dropped so far at {@code channel}'s full receive buffer, for counting what a
     * bounded queue refused: {@code SO_MEMINFO} on Linux, always 0 on the portable path. Read it
     * from a timer, not per packet.
     */
    public LongSupplier receiveDrops(DatagramChannel channel) {
        return this == LINUX ? LinuxDatagrams.receiveDrops(channel) : () -> 0;
    }

    /** Sends datagrams on UDP channels: one {@code UDP_SEGMENT} send per batch on Linux, one call per datagram otherwise. */
    public DatagramSender datagramSender() {
        return this == LINUX ? LinuxDatagrams.sender() : DatagramSender.portable();
    }
}
