/**
 * The two tunnel ends ({@link io.rsock.core.host.TunnelClient}, {@link io.rsock.core.host.TunnelServer},
 * both a {@link io.rsock.core.host.TunnelEnd}), the run that starts and stops them
 * ({@link io.rsock.core.host.TunnelRun}), the handshakes, and what the host hands each transport.
 *
 * <p>Uses transports only through rsock-api. The tunnel ends reach the packet layer only through
 * {@link io.rsock.core.host.PacketAccess} (the real one is {@link io.rsock.core.host.RawPacketAccess}),
 * so tests run them in memory.
 */
package io.rsock.core.host;
