package io.rsock.core.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the address forms of the command line and the config file, IPv4 and IPv6 alike:
 * {@code ip:port} ({@code 127.0.0.1:9999}, {@code [2001:db8::1]:9999}) and {@code ip[,ip...]}
 * ({@code 10.0.0.1,2001:db8::1}). An IPv6 address with a port is written in brackets, as in URLs;
 * without one, brackets are allowed and not needed.
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * {@code host:port}, e.g. {@code 127.0.0.1:9999} or {@code [::1]:9999}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static InetSocketAddress hostPort(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("'" + spec + "' is not ip:port (e.g. 127.0.0.1:9999 or [2001:db8::1]:9999)");
        }
        String host = spec.substring(0, colon);
        if (!host.startsWith("[") && host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + spec + "': an IPv6 address with a port goes in brackets, e.g. [2001:db8::1]:9999");
        }
        if (host.startsWith("[") != host.endsWith("]")) {
            throw new IllegalArgumentException("'" + spec + "' is not ip:port: unbalanced brackets (e.g. [2001:db8::1]:9999)");
        }
        int port = port(spec.substring(colon + 1)); // before the host: a bad port never costs a name lookup
        return new InetSocketAddress(host(host), port);
    }

    private static int port(String text) {
        if (!text.chars().allMatch(Character::isDigit) || text.length() > 5) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range 1-65535");
        }
        return p;
    }

    /**
     * {@code ip[,ip...]}: the rsock servers of a client, of either family and mixed. A port is
     * refused: ports come from {@code -p}.
     */
    public static List<InetAddress> hostList(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty address in '" + spec + "'");
            }
            boolean v6Literal = part.indexOf(':') != part.lastIndexOf(':') && !part.contains("]");
            boolean bracketed = part.startsWith("[") && part.endsWith("]");
            if (part.indexOf(':') >= 0 && !v6Literal && !bracketed) {
                throw new IllegalArgumentException("'" + part + "': the client's -t takes only the server's ip; ports come from -p");
            }
            InetAddress a = host(part);
            if (a instanceof Inet6Address six && six.isLinkLocalAddress()) {
                throw new IllegalArgumentException("'" + part + "' is link-local: give the server's global or unique-local IPv6 address");
            }
            out.add(a);
        }
        return out;
    }

    /** One IPv4 or IPv6 address (an IPv6 one bracketed or not) or a host name. */
    public static InetAddress host(String spec) {
        boolean bracketed = spec.startsWith("[") && spec.endsWith("]");
        String h = bracketed ? spec.substring(1, spec.length() - 1) : spec;
        if (h.isEmpty() || h.chars().anyMatch(Character::isWhitespace) || h.indexOf('[') >= 0 || h.indexOf(']') >= 0
                || bracketed && h.indexOf(':') < 0) {
            throw new IllegalArgumentException("'" + spec + "' is not an address");
        }
        if (h.indexOf(':') >= 0 && !isIpv6Literal(h)) {
            throw new IllegalArgumentException("'" + spec + "' is not an IPv6 address");
        }
        if (h.indexOf(':') < 0 && !h.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("'" + spec + "' is not an address or a host name");
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + h + "'");
        }
    }

    /**
     * Hex groups, colons, an optional dotted IPv4 tail and zone, starting as an IPv6 literal must:
     * what getByName parses as a literal (and refuses, if malformed) without asking a resolver.
     */
    private static boolean isIpv6Literal(String h) {
        String address = h.indexOf('%') >= 0 ? h.substring(0, h.indexOf('%')) : h;
        return address.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*") && address.indexOf(":::") < 0;
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
