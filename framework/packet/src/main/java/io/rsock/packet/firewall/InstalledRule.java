package io.rsock.packet.firewall;

import io.rsock.api.packet.PacketFilter;

/**
 * A rule a backend installed, with what it needs to remove exactly that rule.
 *
 * @param filter what the rule drops
 * @param handle the backend's key for the rule: an nftables rule handle, or an iptables rule spec
 */
public record InstalledRule(PacketFilter filter, String handle) {
}
