package io.rsock.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code rsock status} prints for people, from the JSON tree a run answers. */
class StatusFormatTest {
    @Test
    void clientConnsDropsAndCountersReadAsTables() {
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("transport", "tcp");
        conn.put("server", "10.201.2.2:10001");
        conn.put("state", "OPEN");
        conn.put("healthy", true);
        conn.put("rtt_ms", 0.4123);
        conn.put("loss", 0.025);
        conn.put("delivered_up", 0.9987);
        conn.put("delivered_down", null);
        conn.put("share", Map.of("small", 0.25, "medium", 0.25, "large", 0.0009));
        conn.put("bytes_in", 1_572_864);
        conn.put("bytes_out", 512);
        conn.put("conn", "tcp 10.201.1.2:40000 -> 10.201.2.2:10001");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("role", "client");
        s.put("client_id", "3fa2c1b0");
        s.put("listen", "/127.0.0.1:30000");
        s.put("sessions", 2);
        s.put("open_conns", 1);
        s.put("conns", List.of(conn));
        s.put("transports", List.of("tcp"));
        s.put("session_list", List.of(Map.of("session", "1a2b", "app", "127.0.0.1:40111", "idle_ms", 1500)));
        s.put("uptime_s", 3725);
        s.put("log_level", "info");
        s.put("drops", Map.of("frame.bad_mac", 12, "frame.replayed", 0));
        s.put("counters", Map.of("frame.bad_mac", 12, "frame.replayed", 0, "app.received", 99, "app.sent", 0));
        StringWriter w = new StringWriter();
        StatusFormat.print(s, new PrintWriter(w));
        String out = w.toString();
        assertTrue(out.startsWith("rsock client 3fa2c1b0, up 1h02m, app listens on /127.0.0.1:30000, log level info"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("tcp ") && l.contains("10.201.2.2:10001") && l.contains("OPEN")
                && l.contains("0.41") && l.contains("2.5%") && l.contains("1.5 MiB") && l.contains("512 B")
                && l.contains("99.9%") && l.contains(" - ") && l.contains("25/25/0.1")), out);
        assertTrue(out.contains("UP") && out.contains("DOWN") && out.contains("SHARE S/M/L %"), out);
        assertTrue(out.contains("frame.bad_mac") && out.contains("failed authentication"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("1a2b") && l.contains("127.0.0.1:40111") && l.contains("1.5 s")), out);
        assertFalse(out.contains("frame.replayed"), "zero drops are left out: " + out);
        assertTrue(out.lines().anyMatch(l -> l.contains("app.received") && l.trim().endsWith("99")), out);
        assertFalse(out.contains("app.sent"), out);
    }

    @Test
    void serverListsEachClientsConns() {
        Map<String, Object> c = Map.of("client_id", "ab", "conns", 1, "sessions", 3, "conn_list",
                List.of(Map.of("transport", "udp", "conn", "udp 10.201.2.2:10001 -> 10.201.2.1:5555", "bytes_in", 2048,
                        "bytes_out", 0, "idle_ms", 250, "delivered_down", 0.5, "share",
                        Map.of("small", 1.0, "medium", 1.0, "large", 0.001))));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("role", "server");
        s.put("target", "/127.0.0.1:9999");
        s.put("ports", "10001-10002");
        s.put("conns", 1);
        s.put("sessions", 3);
        s.put("clients", List.of(c));
        s.put("uptime_s", 5);
        s.put("drops", Map.of());
        s.put("counters", Map.of());
        StringWriter w = new StringWriter();
        StatusFormat.print(s, new PrintWriter(w));
        String out = w.toString();
        assertTrue(out.contains("client ab: 1 conns, 3 sessions"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("udp 10.201.2.2:10001 -> 10.201.2.1:5555") && l.contains("2.0 KiB")
                && l.contains("0.3 s") && l.contains("50.0%") && l.contains("100/100/0.1")), out);
        assertTrue(out.contains("DROPS\n  none"), out);
    }

    @Test
    void aTransportsDropsReadInTheWordsTheyWereDeclaredWith() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("role", "server");
        s.put("clients", List.of());
        s.put("drops", Map.of("xor.bad_datagrams", 5, "frame.bad_mac", 0));
        s.put("drop_reasons", Map.of("xor.bad_datagrams", "datagrams that were not ours (strangers, scanners)"));
        s.put("counters", Map.of("xor.bad_datagrams", 5));
        StringWriter w = new StringWriter();
        StatusFormat.print(s, new PrintWriter(w));
        String out = w.toString();
        assertTrue(out.lines().anyMatch(l -> l.contains("xor.bad_datagrams") && l.contains(" 5 ")
                && l.endsWith("datagrams that were not ours (strangers, scanners)")), out);
        assertFalse(out.substring(out.indexOf("COUNTERS")).contains("xor.bad_datagrams"), "a drop is listed once: " + out);
    }

    @Test
    void durationsAndSizes() {
        assertEquals("59s", StatusFormat.duration(59));
        assertEquals("2m05s", StatusFormat.duration(125));
        assertEquals("1d02h", StatusFormat.duration(93_600));
        assertEquals("0 B", StatusFormat.bytes(0));
        assertEquals("1.0 GiB", StatusFormat.bytes(1L << 30));
    }
}
