package io.rsock.netlab;

import java.net.InetSocketAddress;

/** A target written {@code 10.0.0.1:9} or {@code [fd00::1]:9}, as the lab's tools take it. */
final class HostPort {
    private HostPort() {
    }

    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    }
}
