/**
 * The raw packet layer as a transport sees it: {@link io.rsock.api.packet.PacketIO} (capture by
 * {@link io.rsock.api.packet.PacketFilter}, inject whole IP packets) and the {@link io.rsock.api.packet.Firewall}
 * that keeps the kernel out of a transport's flows.
 *
 * <p>Interfaces and value types only: the implementations are rsock-packet's (real) and rsock-testkit's (in memory).
 */
package io.rsock.api.packet;
