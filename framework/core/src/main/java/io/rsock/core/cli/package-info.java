/**
 * The command line: picocli commands ({@code server}, {@code client}, {@code status}, {@code reload},
 * {@code plugins}, {@code demo}), the shared flags, signals and {@code --daemon}. Turns flags into
 * {@link io.rsock.core.config.TunnelSettings} and hands them to a {@link io.rsock.core.host.TunnelRun}.
 *
 * <p>The only package that knows picocli; the host below it reads settings, never flags.
 */
package io.rsock.core.cli;
