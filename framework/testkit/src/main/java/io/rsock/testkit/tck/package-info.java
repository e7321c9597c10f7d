/**
 * The transport compliance kit: what every {@link io.rsock.api.ConnTransport} must do for the host to rely
 * on it. A plugin's test extends {@link io.rsock.testkit.tck.TransportComplianceTest} (or the datagram variant).
 *
 * <p>Tests the transport only through rsock-api, as the host sees it.
 */
package io.rsock.testkit.tck;
