package io.rsock.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Asks a running rsock for its status over the control socket. */
public final class ControlClient {
    private ControlClient() {
    }

    /** The status tree of the run listening on {@code path}. */
    public static Map<String, Object> status(Path path) throws IOException {
        return request(path, "status");
    }

    /** Asks the run listening on {@code path} to re-read its configuration; its answer says what changed. */
    public static Map<String, Object> reload(Path path) throws IOException {
        return request(path, "reload");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(Path path, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            c.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) > 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return new ObjectMapper().readValue(all.toByteArray(), Map.class);
        }
    }

    /**
     * Waits until the client run listening on {@code path} has a conn with a measured round trip,
     * i.e. the server answered its heartbeats. False when {@code timeoutMillis} passes first or
     * {@code stillRunning} turns false.
     */
    public static boolean awaitServerAnswer(Path path, long timeoutMillis, BooleanSupplier stillRunning)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline && stillRunning.getAsBoolean()) {
            try {
                if (status(path).get("conns") instanceof List<?> conns) {
                    for (Object c : conns) {
                        if (c instanceof Map<?, ?> m && m.get("rtt_ms") != null) {
                            return true;
                        }
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }
}
