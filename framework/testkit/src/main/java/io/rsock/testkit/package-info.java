/**
 * rsock-testkit: what a plugin author tests a transport with: a {@link io.rsock.api.TransportContext}
 * for tests, recording handler and firewall, free ports, bounded waiting.
 *
 * <p>Depends on rsock-api and rsock-netlab only: never on core, packet or a plugin.
 */
package io.rsock.testkit;
