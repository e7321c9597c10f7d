package io.rsock.netlab;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of the lab's small command-line tools. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            values.put(args[i], args[++i]);
        }
    }

    String value(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** {@code 10.0.0.1:9} or {@code [fd00::1]:9}. */
    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    }

    int intValue(String name, int otherwise) {
        String v = values.get(name);
        return v == null ? otherwise : Integer.parseInt(v);
    }
}
