package io.rsock.api.packet;

import io.rsock.api.TransportException;

/**
 * Keeps the kernel out of a transport's flows. A fake-TCP port has no socket, so the kernel would
 * answer the peer's segments with RST; an ICMP tunnel's echo requests would get the kernel's own
 * replies. A rule dropping those packets in the input hook silences the kernel while the capture,
 * which sees packets before netfilter's input hook, still gets them.
 *
 * <p>The host installs rules in its own table, named for rsock and tagged with the run, and removes
 * them on every exit, including at the next start after a crash.
 */
public interface Firewall {
    /**
     * Drops inbound packets matching {@code filter} before any local socket or the kernel's own
     * protocol handling sees them. Closing the returned registration removes the rule.
     *
     * @throws TransportException when the rule cannot be installed (no privilege, no nft/iptables);
     *     with {@code --no-rules} the host prints the rule instead and returns normally
     */
    Registration dropInbound(PacketFilter filter) throws TransportException;
}
