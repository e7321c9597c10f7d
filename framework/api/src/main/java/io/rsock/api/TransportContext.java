package io.rsock.api;

import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the host gives a transport in {@link ConnTransport#start}. */
public interface TransportContext {

    /** Whether this process is the client or the server. */
    Role role();

    /**
     * The peer's address packet I/O is aimed at: on the client, the first server of {@code -t};
     * on the server, empty (any client). Used to pick the device and build capture filters.
     */
    Optional<InetAddress> peerHint();

    /**
     * The shared raw packet layer (capture and injection of whole IPv4 and IPv6 packets), opened
     * on first call. Transports that use kernel sockets (plain UDP) never call it.
     *
     * @throws TransportException when raw packet I/O is not available (no privilege, no libpcap)
     */
    PacketIO packets() throws TransportException;

    /** Rules that keep the kernel from answering the transport's packets itself. */
    Firewall firewall();

    /** Shared timer thread for keepalives and timeouts. Tasks must be short and never block. */
    ScheduledExecutorService scheduler();

    /** A named counter, e.g. {@code "tcp.rst_received"}; the same name returns the same counter. */
    Counter counter(String name);

    /**
     * A transport-specific option from {@code --opt type.key=value} or the config file's
     * {@code "options"} object, e.g. {@code option("tcp.keepalive")}.
     */
    Optional<String> option(String key);

    /**
     * Keyed tokens for a handshake's first packet ({@link HandshakeTokens}): the client mints one per
     * handshake, the server verifies it before it keeps any state or answers. The host's are keyed
     * from the secret; this default lets everything in, so a transport that ignores tokens, and a
     * context without a secret, work as before.
     */
    default HandshakeTokens handshakeTokens() {
        return HandshakeTokens.open();
    }

    /** Monotonic time in nanoseconds; tests substitute a manual clock. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * A batch for reading many datagrams per call from a UDP channel the transport owns: the host's
     * is one {@code recvmmsg} per batch where the system allows. For one thread's use.
     *
     * @param capacity most datagrams per read
     * @param maxSize bytes kept of each datagram
     */
    default io.rsock.api.io.DatagramBatch datagramBatch(int capacity, int maxSize) {
        return io.rsock.api.io.DatagramBatch.portable(capacity, maxSize);
    }

    /**
     * Sends batches of datagrams on the transport's UDP channels: the host's hands datagrams of one
     * size to the kernel as one ({@code UDP_SEGMENT}) where the system allows. Thread-safe.
     */
    default io.rsock.api.io.DatagramSender datagramSender() {
        return io.rsock.api.io.DatagramSender.portable();
    }
}
