package io.rsock.testkit.memory;

import java.nio.ByteBuffer;

/**
 * Something between the hosts of an {@link InMemoryPacketNetwork} that sees every packet and may
 * rewrite or drop it: a NAT that rewrites source addresses and ports, a stateful firewall that drops
 * what it judges invalid, a router that shrinks the MTU. Fake-TCP tests use it to prove that their
 * segments survive such boxes.
 *
 * <p>Called on the network's delivery thread, one packet at a time, so an implementation may keep
 * state (a NAT table) without locking.
 */
@FunctionalInterface
public interface Middlebox {
    /**
     * Judges one packet in flight.
     *
     * @param packet a whole IPv4 packet from position 0 to its limit; the network's own copy, which
     *     the middlebox may change in place (checksums are then the middlebox's job)
     * @return the packet to deliver (this one, or a new buffer from its position to its limit), or
     *     {@code null} to drop it; the destination is read again from what is returned, so a NAT's
     *     rewritten address routes the packet
     */
    ByteBuffer process(ByteBuffer packet);
}
