/**
 * What a run is configured with: {@link io.rsock.core.config.TunnelSettings} (immutable, merged from
 * flags and the {@code -f} JSON file), and the parsers of its values (ports, addresses, limits).
 *
 * <p>Values and parsing only: no sockets, no threads, nothing of the host or the CLI.
 */
package io.rsock.core.config;
