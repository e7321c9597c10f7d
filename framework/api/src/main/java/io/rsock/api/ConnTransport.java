package io.rsock.api;

import java.net.InetSocketAddress;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * A way of carrying tunnel frames between an rsock client and an rsock server: fake TCP, plain UDP,
 * ICMP echo, DNS, or anything a third party writes.
 *
 * <p>A transport only moves opaque frames. It never sees sessions, apps, or authentication: the host
 * builds and checks every frame. A transport is a pf4j extension: annotate the implementation with
 * {@code @org.pf4j.Extension}, package it as a plugin jar and drop it into {@code plugins/}; the
 * user selects it with {@code --type <type()>}.
 *
 * <p>Life cycle: the host calls {@link #start} once, then {@link #listen} (server) for every port of
 * {@code --ports}, or {@link #dial} (client) for every (server, port) of its pool, any number of times
 * over the run (dead conns are redialled), and finally {@link #close} once.
 *
 * <p>Threading: {@code listen}, {@code dial} and {@code close} are called from host threads. The
 * transport calls its {@link ConnHandler}s from its own I/O threads.
 */
public interface ConnTransport extends ExtensionPoint {

    /** The name {@code --type} selects this transport by, e.g. {@code "tcp"}, {@code "udp"}, {@code "icmp"}. */
    String type();

    /**
     * Whether this transport is left out of {@code --type all}. An experimental or unusual transport
     * (DNS, say) returns {@code true} so that it runs only when named explicitly.
     */
    default boolean optIn() {
        return false;
    }

    /**
     * The option keys this transport reads through {@link TransportContext#option}, each whole (as
     * the user types it after {@code --opt}, e.g. {@code "tcp.keepalive"}) with a one-line
     * description. The host refuses a run whose {@code --opt} keys no loaded transport or layer
     * declares: a mistyped key is an error, not a silent default.
     *
     * <p>The default, empty, is what a plugin built against an rsock-api before this method
     * declares: for such a transport the host accepts any key that starts with its
     * {@code type() + "."}, with a warning.
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * Prepares the transport: takes what it needs from the context (packet I/O, firewall, scheduler).
     *
     * @throws TransportException when the transport cannot run here (no privilege, no device...);
     *     the message is shown to the user as is, so make it say what to do.
     */
    void start(TransportContext ctx) throws TransportException;

    /**
     * Server side: accepts conns on {@code port}. For every conn a client opens, the transport calls
     * {@link ConnHandler#opened}, then {@link ConnHandler#received} for every frame.
     */
    void listen(int port, ConnHandler handler) throws TransportException;

    /**
     * Server side: stops accepting conns on {@code port} and closes the conns accepted there
     * ({@link CloseReason#LOCAL}), releasing what {@link #listen} took (socket, capture, firewall
     * rule). The host calls it when rotating the ports it listens on ({@code --random-ports}), after
     * clients moved to the new ports. A port not listened on is ignored.
     *
     * <p>The default refuses: a transport without it simply keeps listening on retired ports.
     *
     * @throws TransportException when this transport cannot stop listening
     */
    default void unlisten(int port) throws TransportException {
        throw new TransportException(type() + " cannot stop listening on a port");
    }

    /**
     * Client side: opens a conn to {@code server}. Returns at once; the transport calls
     * {@link ConnHandler#opened} when the conn can carry frames (at once for connectionless
     * transports, after a handshake for fake TCP), or {@link ConnHandler#closed} if it fails.
     */
    Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException;

    /**
     * Bytes this transport adds around a frame on the wire, IPv4 header included (e.g. 20 + 8 for
     * UDP); over IPv6 the header is 20 bytes longer. Each conn's {@link Conn#maxFrameSize()} is what
     * the host sizes frames by, so that one frame fits one packet of that conn's path.
     */
    int overhead();

    /** Closes every conn and listener and releases everything taken in {@link #start}, firewall rules included. */
    void close();
}
