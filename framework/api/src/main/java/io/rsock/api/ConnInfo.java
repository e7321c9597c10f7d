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
        return type + " " + (local == null ? "?" : local.getAddress().getHostAddress() + ":" + local.getPort())
                + " -> " + remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
