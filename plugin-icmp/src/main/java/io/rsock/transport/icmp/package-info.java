/**
 * ICMP echo ({@code --type icmp}): frames in echo requests from the client and in echo replies from the
 * server, over raw packets. {@link io.rsock.transport.icmp.EchoClient} and {@link io.rsock.transport.icmp.EchoServer}
 * are the pure ledgers of outstanding requests.
 *
 * <p>A pf4j plugin: depends on rsock-api only (provided), never on core or packet.
 */
package io.rsock.transport.icmp;
