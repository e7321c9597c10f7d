package io.rsock.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of {@code --unPath}: a Unix domain socket, mode 0600 from its first instant
 * ({@link SocketFile}), that answers only root and the run's own user ({@link PeerCheck}), where
 * {@code rsock status} asks for the run's state. One request line ({@code status} or {@code reload}), one JSON answer,
 * then the connection closes. Requests are served one at a time on a daemon thread: status is rare
 * and cheap, and a slow reader can hold only this thread, never the tunnel.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST = 256;

    private final Path path;
    private final StatusSource source;
    private final Reloader reloader;
    private final ServerSocketChannel server;
    private final Object identity;
    private final PeerCheck peers;
    private final Thread thread;
    private final ObjectMapper json = new ObjectMapper();

    /** What {@code rsock reload} asks for: re-read the configuration and apply it; the answer says what changed. */
    @FunctionalInterface
    public interface Reloader {
        Map<String, Object> reload() throws Exception;
    }

    private ControlServer(Path path, StatusSource source, Reloader reloader, ServerSocketChannel server) throws IOException {
        this.path = path;
        this.source = source;
        this.reloader = reloader;
        this.server = server;
        this.identity = SocketFile.identity(path);
        this.peers = new PeerCheck(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS));
        this.thread = new Thread(this::serve, "rsock-control");
        this.thread.setDaemon(true);
    }

    /** Binds {@code path} (replacing a stale socket file) and starts answering. */
    public static ControlServer start(Path path, StatusSource source) throws IOException {
        return start(path, source, () -> Map.of("error", "reload is not supported here"));
    }

    /**
     * Binds {@code path} (replacing only a stale socket file: anything else there fails the start) and
     * starts answering {@code status} and {@code reload}.
     */
    public static ControlServer start(Path path, StatusSource source, Reloader reloader) throws IOException {
        ServerSocketChannel ch = SocketFile.bind(path);
        ControlServer s;
        try {
            s = new ControlServer(path, source, reloader, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        s.thread.start();
        log.info("control socket at {}", path);
        return s;
    }

    private void serve() {
        ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST);
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                UserPrincipal peer = PeerCheck.peerOf(c);
                if (!peers.allows(peer)) {
                    log.warn("control socket: refused a request from user {} (only root and this run's user are answered)",
                            peer == null ? "unknown" : peer.getName());
                    continue;
                }
                request.clear();
                while (request.hasRemaining() && c.read(request) > 0) {
                    if (request.get(request.position() - 1) == '\n') {
                        break;
                    }
                }
                String line = new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII).trim();
                if (line.isEmpty()) {
                    continue; // the start's own reachability check, or a liveness probe: nothing asked
                }
                byte[] answer = answer(line);
                ByteBuffer out = ByteBuffer.wrap(answer);
                while (out.hasRemaining()) {
                    c.write(out);
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.debug("control request: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.warn("control request failed: {}", e.toString());
            }
        }
    }

    private byte[] answer(String request) throws IOException {
        if (request.equals("status")) {
            return (json.writeValueAsString(source.status()) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        if (request.equals("reload")) {
            Map<String, Object> result;
            try {
                result = reloader.reload();
            } catch (Exception e) {
                log.warn("reload failed: {}", e.getMessage());
                result = Map.of("error", String.valueOf(e.getMessage()));
            }
            return (json.writeValueAsString(result) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return ("{\"error\":\"unknown request\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.close();
            SocketFile.deleteIfStill(path, identity);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.toString());
        }
    }
}
