package io.rsock.packet;

import io.rsock.api.TransportException;
import java.net.InetAddress;
import java.util.Map;

/**
 * What {@link PacketLayer#open} needs: how to find the device, how long a capture read waits, how
 * to send, and which {@link PacketPath}. Build from {@link #defaults()} with the {@code with...}
 * methods, or from the user's {@code --opt} keys with {@link #withOptions}.
 *
 * @param device explicit device name ({@code -d}), or null to detect
 * @param localAddress an address (IPv4 or IPv6) the device must own ({@code --lcapIp}), or null
 * @param peerHint the peer (client: the server), or null for any (server); picks the device by route
 * @param captureTimeoutMillis libpcap read timeout ({@code --cap_timeout}), at least 1
 * @param injector how packets are sent; always {@link InjectorKind#PCAP} on the portable path
 * @param path the Linux path or the portable one
 */
public record PacketLayerOptions(String device, InetAddress localAddress, InetAddress peerHint, int captureTimeoutMillis,
                                 InjectorKind injector, PacketPath path) {
    /** The original rsock's default {@code --cap_timeout}. */
    public static final int DEFAULT_CAPTURE_TIMEOUT_MILLIS = 10;
    /** {@code --opt packet.portable=true}: the portable path on Linux too. */
    public static final String PORTABLE_KEY = "packet.portable";
    /** {@code --opt packet.injector=pcap}: pcap L2 injection on the Linux path. */
    public static final String INJECTOR_KEY = "packet.injector";
    /** The {@code --opt} keys the packet layer reads, for the host's check of the user's keys. */
    public static final Map<String, String> KEYS = Map.of(
            PORTABLE_KEY, "true: the portable packet path macOS and Windows run (pcap only, no Linux-only call); default off Linux",
            INJECTOR_KEY, "raw (default on Linux) or pcap: how the Linux packet path sends");

    public PacketLayerOptions {
        if (captureTimeoutMillis < 1) {
            throw new IllegalArgumentException("capture timeout must be at least 1 ms, not " + captureTimeoutMillis);
        }
        if (injector == null || path == null) {
            throw new IllegalArgumentException("injector and path must be given");
        }
        if (path == PacketPath.PORTABLE && injector != InjectorKind.PCAP) {
            throw new IllegalArgumentException("the portable packet path sends with pcap only, not " + injector.name().toLowerCase());
        }
    }

    /** Detect the device, 10 ms read timeout, the platform's path and injector. */
    public static PacketLayerOptions defaults() {
        PacketPath path = PacketPath.platformDefault();
        return new PacketLayerOptions(null, null, null, DEFAULT_CAPTURE_TIMEOUT_MILLIS,
                path == PacketPath.LINUX ? InjectorKind.RAW : InjectorKind.PCAP, path);
    }

    /**
     * These options with the packet layer's {@code --opt} keys of {@code options} applied; other
     * keys are not looked at.
     *
     * @throws TransportException naming the key when its value is refused
     */
    public PacketLayerOptions withOptions(Map<String, String> options) throws TransportException {
        PacketLayerOptions o = withPath(PacketPath.forOptions(options));
        String injectorText = options.get(INJECTOR_KEY);
        if (injectorText == null) {
            return o;
        }
        InjectorKind kind;
        try {
            kind = InjectorKind.parse(injectorText);
        } catch (IllegalArgumentException e) {
            throw new TransportException("--opt " + INJECTOR_KEY + ": " + e.getMessage());
        }
        if (o.path == PacketPath.PORTABLE && kind != InjectorKind.PCAP) {
            throw new TransportException("--opt " + INJECTOR_KEY + "=" + injectorText.trim() + ": the portable packet path sends "
                    + "with pcap only; drop the option or run the linux path (packet.portable=false, on Linux)");
        }
        return o.withInjector(kind);
    }

    public PacketLayerOptions withDevice(String name) {
        return new PacketLayerOptions(name, localAddress, peerHint, captureTimeoutMillis, injector, path);
    }

    public PacketLayerOptions withLocalAddress(InetAddress address) {
        return new PacketLayerOptions(device, address, peerHint, captureTimeoutMillis, injector, path);
    }

    public PacketLayerOptions withPeerHint(InetAddress peer) {
        return new PacketLayerOptions(device, localAddress, peer, captureTimeoutMillis, injector, path);
    }

    public PacketLayerOptions withCaptureTimeoutMillis(int millis) {
        return new PacketLayerOptions(device, localAddress, peerHint, millis, injector, path);
    }

    public PacketLayerOptions withInjector(InjectorKind kind) {
        return new PacketLayerOptions(device, localAddress, peerHint, captureTimeoutMillis, kind, path);
    }

    /** The path; the portable one sends with pcap, so it sets the injector too. */
    public PacketLayerOptions withPath(PacketPath p) {
        InjectorKind kind = p == PacketPath.PORTABLE ? InjectorKind.PCAP : p == path ? injector : InjectorKind.RAW;
        return new PacketLayerOptions(device, localAddress, peerHint, captureTimeoutMillis, kind, p);
    }
}
