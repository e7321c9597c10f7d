package io.rsock.api;

import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the host gives a transport in {@link ConnTransport#start}. */
public interface TransportContext {
    /** What {@link #pathMtu} answers when nothing better is known: Ethernet's, the Internet's usual path MTU. */
    int DEFAULT_MTU = 1500;

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

    /**
     * A named counter, e.g. {@code "tcp.rst_received"}; the same name returns the same counter. Prefer
     * {@link #counter(String, CounterKind, String)}: a counter looked up by name alone is listed by
     * {@code rsock status} as plain traffic, never under DROPS, and without a word of what it counts.
     */
    Counter counter(String name);

    /**
     * Declares a counter and returns it: its name (prefixed with the transport's type, e.g.
     * {@code "dns.bad_messages"}), what kind of thing it counts, and one sentence a user reads next
     * to it in {@code rsock status} and as the metric's help, e.g. {@code "datagrams that were not a
     * DNS message of ours (strangers, scanners)"}. The same name returns the same counter. Look
     * counters up once, in {@link ConnTransport#start}.
     */
    default Counter counter(String name, CounterKind kind, String help) {
        return counter(name);
    }

    /**
     * A transport-specific option from {@code --opt type.key=value} or the config file's
     * {@code "options"} object, e.g. {@code option("tcp.keepalive")}.
     */
    Optional<String> option(String key);

    /**
     * The MTU of the path to {@code remote}, IP header included: the most bytes one packet to it may
     * hold. The user's {@code --opt mtu} when given; otherwise the host's best knowledge, the MTU of
     * the device the route to {@code remote} leaves by, at most {@value #DEFAULT_MTU} (what lies
     * beyond the first hop is unknown). Cheap enough to call once per conn, not once per packet.
     * Raw-packet transports have {@link PacketIO#mtu()} for their device too.
     */
    default int pathMtu(InetAddress remote) {
        return DEFAULT_MTU;
    }

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
     * is one {@code recvmmsg} per batch where the system allows. For one thread's use. A datagram
     * longer than {@code maxSize} is cut, and {@link DatagramBatch#truncated} says so.
     *
     * @param capacity most datagrams per read
     * @param maxSize bytes kept of each datagram
     */
    default DatagramBatch datagramBatch(int capacity, int maxSize) {
        return DatagramBatch.portable(capacity, maxSize);
    }

    /**
     * Sends batches of datagrams on the transport's UDP channels: the host's hands datagrams of one
     * size to the kernel as one ({@code UDP_SEGMENT}) where the system allows. Thread-safe.
     */
    default DatagramSender datagramSender() {
        return DatagramSender.portable();
    }
}
