/**
 * Bounded session tables with idle expiry, shared by both ends (app flows on the client, per-client
 * target sockets on the server).
 *
 * <p>Generic over what a session is: nothing of sockets, frames or conns.
 */
package io.rsock.core.session;
