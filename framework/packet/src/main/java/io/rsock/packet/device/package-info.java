/**
 * Choosing the device to capture on and send by: {@code -d}, {@code --lcapIp}, or the route to the peer;
 * its MTU and receive offloads.
 *
 * <p>Reads the system's tables; sends and captures nothing.
 */
package io.rsock.packet.device;
