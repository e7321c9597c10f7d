/**
 * Header codecs (IPv4, TCP, UDP, ICMP, the internet checksum) that read and write in place at an
 * absolute offset: no allocation, the buffer's position untouched, so the packet paths can use them per packet.
 *
 * <p>Pure functions of bytes: no I/O, no state, nothing outside the JDK.
 */
package io.rsock.api.codec;
