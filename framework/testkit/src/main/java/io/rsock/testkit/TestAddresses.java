package io.rsock.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses for tests on an in-memory network: the netlab's unique-local IPv6 prefixes (client
 * side {@code fd00:201:1::/64}, server side {@code fd00:201:2::/64}), and text to an address.
 */
public final class TestAddresses {
    /** The client's IPv6 address in the netlab and in tests. */
    public static final InetAddress CLIENT6 = of("fd00:201:1::2");
    /** The server's IPv6 address in the netlab and in tests. */
    public static final InetAddress SERVER6 = of("fd00:201:2::2");

    private TestAddresses() {
    }

    /** The address {@code text} (a literal: nothing is resolved). */
    public static InetAddress of(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
