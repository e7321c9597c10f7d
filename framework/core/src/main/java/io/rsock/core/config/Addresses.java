package io.rsock.core.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Parses the address forms of the command line: {@code ip:port} and {@code ip[,ip...]}. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * {@code host:port}, e.g. {@code 127.0.0.1:9999}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static InetSocketAddress hostPort(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("'" + spec + "' is not ip:port (e.g. 127.0.0.1:9999)");
        }
        String port = spec.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5) {
            throw new IllegalArgumentException("'" + port + "' is not a port number");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range 1-65535");
        }
        return new InetSocketAddress(host(spec.substring(0, colon)), p);
    }

    /** {@code ip[,ip...]}: the rsock servers of a client. A {@code :port} suffix is refused: ports come from {@code -p}. */
    public static List<InetAddress> hostList(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty address in '" + spec + "'");
            }
            if (part.indexOf(':') >= 0) {
                throw new IllegalArgumentException("'" + part + "': the client's -t takes only the server's ip; ports come from -p");
            }
            out.add(host(part));
        }
        return out;
    }

    /** One IPv4 address or host name. */
    public static InetAddress host(String spec) {
        String h = spec.startsWith("[") && spec.endsWith("]") ? spec.substring(1, spec.length() - 1) : spec;
        if (h.isEmpty() || h.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + spec + "' is not an address");
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + h + "'");
        }
    }

    /**
     * The socket family for talking to {@code a}: an IPv4 socket for an IPv4 address. A socket of
     * the default (dual-stack IPv6) family sends IPv4 through the IPv6 code first, a few percent of
     * every datagram's cost.
     */
    public static ProtocolFamily familyOf(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }
}
