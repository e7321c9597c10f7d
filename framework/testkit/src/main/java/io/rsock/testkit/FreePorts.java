package io.rsock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/** UDP ports free on 127.0.0.1 now, never the same one twice from one instance. Thread-safe. */
public final class FreePorts {
    private final Set<Integer> given = new HashSet<>();

    /** A UDP port nothing holds on 127.0.0.1 now, not given by this instance before. */
    public synchronized int next() {
        for (int i = 0; i < 100; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                if (given.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port");
    }
}
