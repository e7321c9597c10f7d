/**
 * The test network: client, isp and server network namespaces joined by veth pairs, the ISP's
 * nftables profiles, and the tools run inside (UDP echo and probe, TCP and kcptun transfers).
 *
 * <p>Depends on nothing of rsock (it drives rsock as a process), so any module's tests and {@code rsock demo} can use it.
 */
package io.rsock.netlab;
