package io.rsock.core.control;

import com.sun.net.httpserver.HttpServer;
import io.rsock.core.stats.Counters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code --metrics ip:port}: every counter in the Prometheus text format at {@code /metrics}, served
 * by the JDK's own HTTP server on one thread. Counter {@code frame.bad_mac} becomes
 * {@code rsock_frame_bad_mac_total}, with its declared sentence and kind; gauges (sessions, open
 * conns) keep their names.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer http;

    private MetricsServer(HttpServer http) {
        this.http = http;
    }

    /**
     * @param gauges current values that go up and down, e.g. {@code sessions}
     */
    public static MetricsServer start(InetSocketAddress address, String role, Counters counters,
            Supplier<Map<String, Number>> gauges) throws IOException {
        HttpServer http = HttpServer.create(address, 8);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rsock-metrics");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/metrics", exchange -> {
            byte[] body = render(role, counters.snapshot(), counters.declarations(), gauges.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return new MetricsServer(http);
    }

    /**
     * The text format: a declared counter gets its sentence as {@code # HELP} and its kind as the
     * label {@code kind} ({@code traffic}, {@code drop}, {@code error}), so that a dashboard can sum
     * the drops of every transport without knowing their names.
     */
    static String render(String role, Map<String, Long> counters, Map<String, Counters.Declaration> declared,
            Map<String, Number> gauges) {
        StringBuilder sb = new StringBuilder();
        String labels = "{role=\"" + role + "\"}";
        counters.forEach((name, value) -> {
            String metric = "rsock_" + sanitize(name) + "_total";
            Counters.Declaration d = declared.get(name);
            if (d != null) {
                sb.append("# HELP ").append(metric).append(' ').append(escapeHelp(d.help())).append('\n');
            }
            String kind = d == null ? "" : ",kind=\"" + d.kind().name().toLowerCase(Locale.ROOT) + "\"";
            sb.append("# TYPE ").append(metric).append(" counter\n");
            sb.append(metric).append("{role=\"").append(role).append('"').append(kind).append("} ").append(value).append('\n');
        });
        gauges.forEach((name, value) -> {
            String metric = "rsock_" + sanitize(name);
            sb.append("# TYPE ").append(metric).append(" gauge\n");
            sb.append(metric).append(labels).append(' ').append(value).append('\n');
        });
        return sb.toString();
    }

    /** {@code \\} and line breaks escaped, as the text format wants in {@code # HELP}. */
    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : '_');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        http.stop(0);
        ((ExecutorService) http.getExecutor()).shutdownNow();
    }
}
