package io.rsock.core.frame;

/**
 * How a receiver finds the keys a frame must authenticate under, from where it arrived and the
 * client id in its header. Called per frame before any cryptography: an end that holds no
 * association for the frame drops it unchecked, so a stranger's frames cost a lookup, not a MAC.
 */
@FunctionalInterface
public interface AssociationLookup<C> {
    /** The association of {@code clientId}'s frames arriving in {@code context}, or null when this end holds none. */
    Association find(C context, int clientId);
}
