package io.rsock.api.datagram;

import io.rsock.api.OptionValues;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The options every {@link DatagramTransport} has, each under the transport's type
 * ({@code --opt udp.idle=30s}), read once in {@code start}, with the reason a bad value is refused.
 * The path MTU is the host's ({@link TransportContext#pathMtu}), not one of these.
 *
 * @param maxConns {@code <type>.max-conns}: conns per listening port at most (default 4096); datagrams
 *     from further remotes are dropped and counted in {@code <type>.conns_rejected}
 * @param idle {@code <type>.idle}: a server conn that received nothing this long is closed with
 *     {@code TIMEOUT} (default 60 s)
 * @param bind {@code <type>.bind}: local address the server listens on (default: every address)
 */
record DatagramOptions(int maxConns, Duration idle, InetAddress bind) {
    static final int DEFAULT_MAX_CONNS = 4096;
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    /** The option keys, for {@code type}. */
    static String maxConnsKey(String type) {
        return type + ".max-conns";
    }

    static String idleKey(String type) {
        return type + ".idle";
    }

    static String bindKey(String type) {
        return type + ".bind";
    }

    /** The keys {@link #from} reads for {@code type}, each with what it sets: for {@code ConnTransport.options()}. */
    static Map<String, String> keys(String type) {
        return Map.of(
                maxConnsKey(type), "conns per listening port at most (default " + DEFAULT_MAX_CONNS + ")",
                idleKey(type), "a server conn that received nothing this long is closed (default " + DEFAULT_IDLE.toSeconds() + "s)",
                bindKey(type), "local address the server listens on (default every address)");
    }

    static DatagramOptions from(TransportContext ctx, String type) throws TransportException {
        String maxConnsKey = maxConnsKey(type);
        String idleKey = idleKey(type);
        String bindKey = bindKey(type);
        int maxConns = OptionValues.integer(ctx.option(maxConnsKey), maxConnsKey, DEFAULT_MAX_CONNS, 1, Integer.MAX_VALUE);
        Duration idle = OptionValues.duration(ctx.option(idleKey), idleKey, DEFAULT_IDLE);
        InetAddress bind = null;
        Optional<String> b = ctx.option(bindKey);
        if (b.isPresent()) {
            try {
                bind = InetAddress.getByName(b.get().trim());
            } catch (UnknownHostException e) {
                throw new TransportException("option " + bindKey + ": not an address of this host: " + b.get());
            }
        }
        return new DatagramOptions(maxConns, idle, bind);
    }
}
