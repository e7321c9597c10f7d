/**
 * The tunnel frame: its layout and authentication ({@link io.rsock.core.frame.FrameCodec}), keys per
 * run and direction, the HELLO and heartbeat payloads, fragmentation and reassembly, the replay window.
 * {@link io.rsock.core.frame.FrameSender} and {@link io.rsock.core.frame.FrameReader} are the hot path's entries.
 *
 * <p>Knows conns only as rsock-api's {@code Conn}: nothing of sessions, pools, transports or the packet layer.
 */
package io.rsock.core.frame;
