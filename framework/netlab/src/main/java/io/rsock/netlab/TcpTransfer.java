package io.rsock.netlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bounded TCP transfer whose integrity can be checked end to end: a source sends pseudo-random
 * bytes, a sink reads to the end; each reports {@code {"bytes":N,"sha256":"..."}}, or
 * {@code {"error":"..."}}. It is the app on top of kcptun in the tests (kcptun turns the TCP stream
 * into the UDP that rsock carries). Both run in this JVM, their sockets opened in the lab's
 * namespaces ({@link TestNetwork#inside}), and both give up after {@code seconds}.
 */
public final class TcpTransfer {
    private static final int CONNECT_MILLIS = 10_000;

    private TcpTransfer() {
    }

    /** The last {@code {...}} line of a tool's output (its result), or "" if none. */
    public static String result(String output) {
        String last = "";
        for (String l : output.split("\n")) {
            if (l.startsWith("{")) {
                last = l;
            }
        }
        return last;
    }

    /** A sink listening on {@code port} in {@code side}'s namespace of {@code net}: it reads one connection to its end. */
    public static Sink sink(TestNetwork net, Side side, int port, int seconds) {
        ServerSocketChannel server = net.inside(side, () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            try {
                return s.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
        Sink sink = new Sink(server, seconds);
        net.closeWithLab(sink);
        return sink;
    }

    /**
     * Sends {@code bytes} from {@code side}'s namespace of {@code net} to {@code target}
     * ({@code host:port}) and returns once the sink has read them all, with what was sent; an
     * {@code error} result when that fails or takes longer than {@code seconds}.
     */
    public static String send(TestNetwork net, Side side, String target, long bytes, int seconds) {
        SocketChannel ch = net.inside(side, SocketChannel::open);
        // A stalled path blocks a write for good: closing the socket at the deadline ends it.
        CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> Closing.quietly(ch));
        long total = 0;
        try (Socket s = ch.socket()) {
            s.setSoTimeout(seconds * 1000);
            s.connect(HostPort.parse(target), CONNECT_MILLIS);
            MessageDigest sha = sha256();
            SplittableRandom random = new SplittableRandom(bytes);
            byte[] buf = new byte[65536];
            OutputStream out = s.getOutputStream();
            while (total < bytes) {
                int n = (int) Math.min(buf.length, bytes - total);
                for (int i = 0; i < n; i++) {
                    buf[i] = (byte) random.nextInt();
                }
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                total += n;
            }
            s.shutdownOutput();
            // The sink closes once it has read everything: wait for that, so "sent" means "arrived".
            s.getInputStream().read();
            return json(total, sha);
        } catch (IOException e) {
            return error("after " + total + " bytes sent: " + e);
        }
    }

    /** A sink of {@link #sink}: its thread reads one connection to its end, within its seconds. */
    public static final class Sink implements AutoCloseable {
        private final ServerSocketChannel server;
        private final long deadline;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private volatile Socket accepted;

        private Sink(ServerSocketChannel server, int seconds) {
            this.server = server;
            this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Thread t = new Thread(this::serve, "tcp-sink");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            long total = 0;
            try (ServerSocketChannel s = server) {
                s.socket().setSoTimeout(millisLeft());
                try (Socket c = s.socket().accept(); InputStream in = c.getInputStream()) {
                    accepted = c;
                    MessageDigest sha = sha256();
                    byte[] buf = new byte[65536];
                    for (int n; (n = read(c, in, buf)) > 0; total += n) {
                        sha.update(buf, 0, n);
                    }
                    result.complete(json(total, sha));
                }
            } catch (IOException e) {
                result.complete(error("after " + total + " bytes received: " + e));
            }
        }

        private int read(Socket c, InputStream in, byte[] buf) throws IOException {
            int left = millisLeft();
            if (left <= 0) {
                throw new SocketTimeoutException("not at the end within its time");
            }
            c.setSoTimeout(left);
            return in.read(buf);
        }

        private int millisLeft() {
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }

        /** What it received ({@code {"bytes":..,"sha256":..}} or {@code {"error":..}}), waiting up to {@code millis}; "" if not done. */
        public String result(long millis) {
            try {
                return result.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        /** Stops listening (and reading): a sink that has not finished reports an error. */
        @Override
        public void close() {
            Closing.quietly(server);
            Closing.quietly(accepted);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String json(long bytes, MessageDigest sha) {
        return "{\"bytes\":" + bytes + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"}";
    }

    private static String error(String why) {
        return "{\"error\":\"" + why.replace('"', '\'') + "\"}";
    }
}
