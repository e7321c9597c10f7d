/**
 * rsock-api: the SPI a transport plugin compiles against. {@link io.rsock.api.ConnTransport} and
 * {@link io.rsock.api.Conn} carry frames; {@link io.rsock.api.ConnHandler} is the host's side of a conn;
 * {@link io.rsock.api.TransportContext} is all a transport gets from the host.
 *
 * <p>Depends on pf4j and slf4j-api only: nothing of core, packet or any plugin, so that a third party
 * builds a transport from this jar alone.
 */
package io.rsock.api;
