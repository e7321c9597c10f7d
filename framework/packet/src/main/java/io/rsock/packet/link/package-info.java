/**
 * The portable path's link layer: learning next-hop MAC addresses from captured frames and ARP,
 * without the OS's tables.
 *
 * <p>Pure where it can be (frames in, addresses out), so recorded frames test it.
 */
package io.rsock.packet.link;
