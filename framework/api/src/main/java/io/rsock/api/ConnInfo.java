package io.rsock.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a conn is, for logs, status and health: its transport type and both ends.
 *
 * @param type the transport's {@link ConnTransport#type()}
 * @param local this side's address and port, as far as the transport knows it
 * @param remote the peer's address and port (for ICMP, the port is the echo identifier)
 */
public record ConnInfo(String type, InetSocketAddress local, InetSocketAddress remote) {
    public ConnInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String toString() {
        return type + " " + (local == null ? "?" : endpoint(local)) + " -> " + endpoint(remote);
    }

    /** {@code 10.0.0.1:10001}, or {@code [fd00:0:0:0:0:0:0:1]:10001} for IPv6: an address and port as logs and status show them. */
    public static String endpoint(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
