/**
 * Capture: libpcap through JNA on one thread per device, the kernel BPF filter kept equal to the
 * registrations, and the demultiplexer that hands each packet to its receiver.
 *
 * <p>Nothing of injection or the firewall; nothing above rsock-api.
 */
package io.rsock.packet.capture;
