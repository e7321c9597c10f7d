/**
 * The run's named counters, which of them count drops and why, and the periodic report of limits hit.
 *
 * <p>Nothing of the host's other packages; transports' counters arrive through rsock-api's {@code Counter}.
 */
package io.rsock.core.stats;
