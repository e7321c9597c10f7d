/**
 * Fake TCP ({@code --type tcp}): a TCP connection run in user space over raw packets that a stateful
 * firewall and NAT accept. {@link io.rsock.transport.faketcp.TcpEndpoint} is the pure state machine;
 * the conn, listener and transport wire it to the packet layer.
 *
 * <p>A pf4j plugin: depends on rsock-api only (provided), never on core or packet.
 */
package io.rsock.transport.faketcp;
