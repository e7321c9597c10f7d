package io.rsock.packet.device;

import java.util.Optional;

/**
 * The kernel's routes as far as choosing a device needs them. Only Linux lets us read them
 * ({@link RouteTable}); elsewhere {@link #NONE}, and the kernel's choice of source address decides.
 */
public interface RouteLookup {
    /** No route table: every answer empty. */
    RouteLookup NONE = new RouteLookup() {
        @Override
        public Optional<String> deviceTowards(int address) {
            return Optional.empty();
        }

        @Override
        public Optional<String> defaultDevice() {
            return Optional.empty();
        }
    };

    /** The device the route to {@code address} (a big-endian int) goes out of. */
    Optional<String> deviceTowards(int address);

    /** The device of the default route. */
    Optional<String> defaultDevice();
}
