package io.rsock.packet;

/**
 * A snapshot of a {@link PacketLayer}'s counters, for {@code rsock status} and tests.
 *
 * @param captured packets read from the capture
 * @param delivered handed to a registered receiver
 * @param unmatched well-formed IPv4 that no registration wanted (the kernel filter lags a change)
 * @param malformed not a whole unfragmented IPv4 packet (truncated, bad header, fragment, not IPv4)
 * @param receiverErrors a receiver threw; the packet was dropped, the capture went on
 * @param captureErrors libpcap read errors (device down...)
 * @param injected packets sent
 * @param injectFailed packets the injector dropped (buffer full, no route, closed)
 * @param kernelDrops packets the kernel dropped before the capture saw them, the ring being full (libpcap's
 *     ps_drop, updated once a second; -1 if unknown): with {@code captured}, what arrived on the device
 */
public record PacketStats(long captured, long delivered, long unmatched, long malformed, long receiverErrors, long captureErrors,
                          long injected, long injectFailed, long kernelDrops) {
}
