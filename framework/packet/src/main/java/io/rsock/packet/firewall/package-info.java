/**
 * Keeping the kernel out of the tunnel's flows: one backend per tool (nftables, iptables, pf, netsh,
 * print-only), every rule in the run's own table or chain and removed on every exit.
 *
 * <p>Runs commands through {@link io.rsock.packet.firewall.CommandRunner} only, so the rules are unit-tested
 * without root; nothing of capture or injection.
 */
package io.rsock.packet.firewall;
