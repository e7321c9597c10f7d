package io.rsock.core.plugin;

import io.rsock.api.ConnTransport;

/**
 * A transport the host found, and the plugin it came from.
 *
 * @param transport the extension instance
 * @param pluginId the plugin's {@code Plugin-Id}
 * @param version the plugin's {@code Plugin-Version}
 */
public record LoadedTransport(ConnTransport transport, String pluginId, String version) {
    public String type() {
        return transport.type();
    }
}
