/**
 * Sending whole IP packets: a raw {@code IP_HDRINCL} socket on Linux, pcap L2 frames on the portable
 * path; one class per way, chosen when the layer opens.
 *
 * <p>Nothing above rsock-api: no core, no plugin.
 */
package io.rsock.packet.inject;
