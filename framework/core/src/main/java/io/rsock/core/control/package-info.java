/**
 * Talking to a running rsock: the control socket of {@code --unPath} ({@code rsock status},
 * {@code rsock reload}), guarded by file mode and peer credentials, and the {@code --metrics} HTTP endpoint.
 *
 * <p>Sees the run only through suppliers of status, gauges and counters: nothing of the tunnel ends' types.
 */
package io.rsock.core.control;
