/**
 * Batched datagram system calls behind small interfaces ({@link io.rsock.api.io.DatagramBatch},
 * {@link io.rsock.api.io.DatagramSender}) with portable loop implementations; the host supplies faster
 * native ones where it can.
 *
 * <p>No native code here: the recvmmsg and GSO versions live in rsock-packet.
 */
package io.rsock.api.io;
