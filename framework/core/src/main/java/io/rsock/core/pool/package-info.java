/**
 * The client's pool of conns: a {@link io.rsock.core.pool.PoolSlot} per (transport, server, port) that
 * dials and redials with backoff, their health from heartbeats, and the pick of a conn per datagram.
 *
 * <p>Knows nothing of frames' contents, sessions or apps: it hands what conns receive to a
 * {@link io.rsock.core.pool.PoolListener}.
 */
package io.rsock.core.pool;
