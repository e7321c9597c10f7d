/**
 * Helpers for transports that build their own packets: a conn's reused send buffer
 * ({@link io.rsock.api.raw.PacketOut}) and the guard around a capture receiver ({@link io.rsock.api.raw.CaptureGuard}).
 *
 * <p>Uses only rsock-api's packet interfaces.
 */
package io.rsock.api.raw;
