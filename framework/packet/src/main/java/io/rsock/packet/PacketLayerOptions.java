package io.rsock.packet;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What {@link PacketLayer#open} needs: how to find the device, how long a capture read waits, and
 * how to send. Build from {@link #defaults()} with the {@code with...} methods.
 *
 * @param device explicit device name ({@code -d}), or null to detect
 * @param localAddress an IPv4 address the device must own ({@code --lcapIp}), or null
 * @param peerHint the peer (client: the server), or null for any (server); picks the device by route
 * @param captureTimeoutMillis libpcap read timeout ({@code --cap_timeout}), at least 1
 * @param injector how packets are sent
 */
public record PacketLayerOptions(String device, Inet4Address localAddress, InetAddress peerHint, int captureTimeoutMillis,
                                 InjectorKind injector) {
    /** The original rsock's default {@code --cap_timeout}. */
    public static final int DEFAULT_CAPTURE_TIMEOUT_MILLIS = 10;

    public PacketLayerOptions {
        if (captureTimeoutMillis < 1) {
            throw new IllegalArgumentException("capture timeout must be at least 1 ms, not " + captureTimeoutMillis);
        }
        if (injector == null) {
            throw new IllegalArgumentException("injector must be given");
        }
    }

    /** Detect the device, 10 ms read timeout, the platform's injector. */
    public static PacketLayerOptions defaults() {
        return new PacketLayerOptions(null, null, null, DEFAULT_CAPTURE_TIMEOUT_MILLIS, InjectorKind.platformDefault());
    }

    public PacketLayerOptions withDevice(String name) {
        return new PacketLayerOptions(name, localAddress, peerHint, captureTimeoutMillis, injector);
    }

    public PacketLayerOptions withLocalAddress(Inet4Address address) {
        return new PacketLayerOptions(device, address, peerHint, captureTimeoutMillis, injector);
    }

    public PacketLayerOptions withPeerHint(InetAddress peer) {
        return new PacketLayerOptions(device, localAddress, peer, captureTimeoutMillis, injector);
    }

    public PacketLayerOptions withCaptureTimeoutMillis(int millis) {
        return new PacketLayerOptions(device, localAddress, peerHint, millis, injector);
    }

    public PacketLayerOptions withInjector(InjectorKind kind) {
        return new PacketLayerOptions(device, localAddress, peerHint, captureTimeoutMillis, kind);
    }
}
