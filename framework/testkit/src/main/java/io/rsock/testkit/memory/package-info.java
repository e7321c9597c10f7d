/**
 * In-memory stand-ins: an IPv4 packet network with middleboxes (NAT, stateful firewall) for raw-packet
 * transports, and a loopback transport for testing the host without a network.
 *
 * <p>No sockets, no privileges, no timing noise: nothing here touches the real network.
 */
package io.rsock.testkit.memory;
