package io.rsock.core.cli;

import io.rsock.core.stats.DropReasons;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rsock status} for people: a header line, the conns as a table, drops by reason (each in the
 * words its counter was declared with), the other counters.
 */
final class StatusFormat {
    private StatusFormat() {
    }

    static void print(Map<String, Object> s, PrintWriter out) {
        boolean client = "client".equals(s.get("role"));
        if (client) {
            out.printf("rsock client %s, up %s, app listens on %s, log level %s%n", s.get("client_id"),
                    duration(num(s.get("uptime_s"))), s.get("listen"), s.getOrDefault("log_level", "?"));
            List<Map<String, Object>> conns = rows(s.get("conns"));
            out.printf("sessions %s, conns %s of %d open, transports %s%n%n", s.get("sessions"), s.get("open_conns"),
                    conns.size(), s.get("transports"));
            out.printf("%-9s %-21s %-8s %-7s %8s %7s %7s %7s %-17s %10s %10s  %s%n", "TRANSPORT", "SERVER", "STATE", "HEALTHY",
                    "RTT MS", "LOSS", "UP", "DOWN", "SHARE S/M/L %", "IN", "OUT", "CONN");
            for (Map<String, Object> c : conns) {
                out.printf("%-9s %-21s %-8s %-7s %8s %7s %7s %7s %-17s %10s %10s  %s%n", c.get("transport"), c.get("server"),
                        c.get("state"), Boolean.TRUE.equals(c.get("healthy")) ? "yes" : "no",
                        c.get("rtt_ms") == null ? "-" : String.format(Locale.ROOT, "%.2f", num(c.get("rtt_ms"))),
                        String.format(Locale.ROOT, "%.1f%%", 100 * num(c.get("loss"))), percent(c.get("delivered_up")),
                        percent(c.get("delivered_down")), shares(c.get("share")), bytes(c.get("bytes_in")),
                        bytes(c.get("bytes_out")), c.get("conn") == null ? "-" : c.get("conn"));
            }
            List<Map<String, Object>> sessions = rows(s.get("session_list"));
            if (!sessions.isEmpty()) {
                out.printf("%nSESSIONS (the %d most recently active of %s)%n", sessions.size(), s.get("sessions"));
                out.printf("  %-10s %-23s %8s%n", "SESSION", "APP", "IDLE");
                for (Map<String, Object> x : sessions) {
                    out.printf("  %-10s %-23s %8s%n", x.get("session"), x.get("app"),
                            String.format(Locale.ROOT, "%.1f s", num(x.get("idle_ms")) / 1000));
                }
            }
        } else {
            out.printf("rsock server, up %s, ports %s -> %s, log level %s%n", duration(num(s.get("uptime_s"))), s.get("ports"),
                    s.get("target"), s.getOrDefault("log_level", "?"));
            List<Map<String, Object>> clients = rows(s.get("clients"));
            out.printf("clients %d, conns %s, sessions %s, transports %s%n%n", clients.size(), s.get("conns"), s.get("sessions"),
                    s.get("transports"));
            if (clients.isEmpty()) {
                out.println("(no client authenticated yet)");
            }
            for (Map<String, Object> c : clients) {
                out.printf("client %s: %s conns, %s sessions%n", c.get("client_id"), c.get("conns"), c.get("sessions"));
                out.printf("  %-9s %10s %10s %8s %7s %-17s  %s%n", "TRANSPORT", "IN", "OUT", "IDLE", "DOWN", "SHARE S/M/L %",
                        "CONN");
                for (Map<String, Object> conn : rows(c.get("conn_list"))) {
                    out.printf("  %-9s %10s %10s %8s %7s %-17s  %s%n", conn.get("transport"), bytes(conn.get("bytes_in")),
                            bytes(conn.get("bytes_out")), String.format(Locale.ROOT, "%.1f s", num(conn.get("idle_ms")) / 1000),
                            percent(conn.get("delivered_down")), shares(conn.get("share")), conn.get("conn"));
                }
            }
        }
        out.println();
        out.println("DROPS");
        Map<String, Object> drops = map(s.get("drops"));
        Map<String, Object> reasons = map(s.get("drop_reasons"));
        boolean any = false;
        for (Map.Entry<String, Object> d : drops.entrySet()) {
            if (num(d.getValue()) > 0) {
                Object why = reasons.getOrDefault(d.getKey(), DropReasons.describe(d.getKey()));
                out.printf("  %-32s %12d  %s%n", d.getKey(), (long) num(d.getValue()), why == null ? "" : why);
                any = true;
            }
        }
        if (!any) {
            out.println("  none");
        }
        out.println();
        out.println("COUNTERS (non-zero)");
        map(s.get("counters")).forEach((k, v) -> {
            if (num(v) != 0 && !drops.containsKey(k)) {
                out.printf("  %-32s %12d%n", k, (long) num(v));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    /** A delivered fraction as a percentage, or "-" when nothing was sent lately. */
    static String percent(Object fraction) {
        return fraction instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "-";
    }

    /** A conn's share of each size class's traffic, small/medium/large, in percent. */
    static String shares(Object share) {
        Map<String, Object> m = map(share);
        if (m.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (String size : new String[] {"small", "medium", "large"}) {
            double p = 100 * num(m.get(size));
            sb.append(sb.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, p == 0 || p >= 10 ? "%.0f" : "%.1f", p));
        }
        return sb.toString();
    }

    static String bytes(Object o) {
        double b = num(o);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%d B", (long) b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }

    static String duration(double seconds) {
        long s = (long) seconds;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        if (s < 86400) {
            return s / 3600 + "h" + String.format(Locale.ROOT, "%02dm", s % 3600 / 60);
        }
        return s / 86400 + "d" + String.format(Locale.ROOT, "%02dh", s % 86400 / 3600);
    }
}
