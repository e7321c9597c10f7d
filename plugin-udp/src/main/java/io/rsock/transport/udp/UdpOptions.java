package io.rsock.transport.udp;

import io.rsock.api.OptionValues;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The options of the UDP transport, read once in {@code start} from {@code --opt key=value} or the
 * config file, with the reason a bad value is refused.
 *
 * @param mtu {@code mtu}: path MTU in bytes, IP header included (default 1500); a frame is at most
 *     {@code mtu - 28} bytes (IPv6: {@code mtu - 48}) so that one frame is one unfragmented datagram
 * @param maxConns {@code udp.max-conns}: conns per listening port at most (default 4096); datagrams
 *     from further remotes are dropped and counted in {@code udp.conns_rejected}
 * @param idle {@code udp.idle}: a server conn that received nothing this long is closed with
 *     {@code TIMEOUT} (default 60 s); {@code 500ms}, {@code 30s}, {@code 2m}, or plain seconds
 * @param bind {@code udp.bind}: local address the server listens on (default: every address)
 */
record UdpOptions(int mtu, int maxConns, Duration idle, InetAddress bind) {
    static final int DEFAULT_MTU = 1500;
    static final int DEFAULT_MAX_CONNS = 4096;
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    /** The keys {@link #from} reads, for {@code ConnTransport.options()}. */
    static final Map<String, String> KEYS = Map.of(
            "mtu", "path MTU in bytes, IP header included; a frame is at most mtu - 28 bytes, over IPv6 mtu - 48 (default 1500)",
            "udp.max-conns", "conns per listening port at most (default 4096)",
            "udp.idle", "a server conn that received nothing this long is closed (default 60s)",
            "udp.bind", "local address the server listens on (default every address)");

    static UdpOptions from(TransportContext ctx) throws TransportException {
        int mtu = OptionValues.integer(ctx.option("mtu"), "mtu", DEFAULT_MTU, UdpTransport.OVERHEAD + 1, 65535);
        int maxConns = OptionValues.integer(ctx.option("udp.max-conns"), "udp.max-conns", DEFAULT_MAX_CONNS, 1, Integer.MAX_VALUE);
        Duration idle = OptionValues.duration(ctx.option("udp.idle"), "udp.idle", DEFAULT_IDLE);
        InetAddress bind = null;
        Optional<String> b = ctx.option("udp.bind");
        if (b.isPresent()) {
            try {
                bind = InetAddress.getByName(b.get().trim());
            } catch (UnknownHostException e) {
                throw new TransportException("option udp.bind: not an address of this host: " + b.get());
            }
        }
        return new UdpOptions(mtu, maxConns, idle, bind);
    }
}
