/**
 * The base of a transport over the kernel's UDP sockets ({@link io.rsock.api.datagram.DatagramTransport}):
 * listeners, conns, one I/O thread, options and counters; a subclass only says how a frame becomes a datagram.
 *
 * <p>Uses only the rest of rsock-api and the JDK; no raw packets, no firewall.
 */
package io.rsock.api.datagram;
