/**
 * The {@code rsock} command's entry point ({@link io.rsock.core.Main}). The host's parts are in the
 * sub-packages; ARCHITECTURE.md maps them.
 *
 * <p>Plugins are found at run time by pf4j: core never depends on a transport's classes.
 */
package io.rsock.core;
