/**
 * rsock-packet: the real {@link io.rsock.api.packet.PacketIO}, {@link io.rsock.packet.PacketLayer}: one
 * capture and one injector per device, on the Linux path or the portable one ({@link io.rsock.packet.PacketPath}).
 *
 * <p>Implements rsock-api's interfaces; nothing of core or of any plugin.
 */
package io.rsock.packet;
