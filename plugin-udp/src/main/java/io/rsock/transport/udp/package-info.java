/**
 * Plain UDP ({@code --type udp}): one datagram per frame through the kernel's sockets, on rsock-api's
 * {@link io.rsock.api.datagram.DatagramTransport}; needs no root.
 *
 * <p>A pf4j plugin: depends on rsock-api only (provided), never on core or packet.
 */
package io.rsock.transport.udp;
