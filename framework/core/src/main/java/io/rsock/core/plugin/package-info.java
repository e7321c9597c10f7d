/**
 * Finding transports: pf4j plugin loading, the catalogue {@code --type} chooses from, and the check of
 * {@code --opt} keys against what the loaded transports declare.
 *
 * <p>Knows transports only as rsock-api's {@code ConnTransport}.
 */
package io.rsock.core.plugin;
