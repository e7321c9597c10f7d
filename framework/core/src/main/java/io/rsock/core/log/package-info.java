/**
 * Logging set-up for a run: rotating file, console, the {@code -v} level.
 *
 * <p>Nothing of the host: every other package logs through slf4j only.
 */
package io.rsock.core.log;
