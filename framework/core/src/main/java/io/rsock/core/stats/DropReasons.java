package io.rsock.core.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which counters count something dropped, and why, in words: what {@code rsock status} lists
 * under "drops" and what the periodic log summary reports.
 */
public final class DropReasons {
    /** The host's drop counters, always listed (zero included), with what each means. */
    private static final Map<String, String> HOST = new LinkedHashMap<>();

    static {
        HOST.put("frame.bad_mac", "frame failed authentication (wrong --hash, or forged)");
        HOST.put("frame.replayed", "frame seen before or older than the replay window");
        HOST.put("frame.bad_version", "frame of an unknown version");
        HOST.put("frame.bad_type", "frame of an unknown type");
        HOST.put("frame.truncated", "frame shorter than its header says");
        HOST.put("frame.foreign_client", "frame for another client id");
        HOST.put("frame.unexpected_type", "frame type not expected on this side");
        HOST.put("conn.unauthenticated_closed", "conn closed: nothing authenticated on it");
        HOST.put("conn.rejected", "conn refused: too many conns");
        HOST.put("conn.not_admitted", "a stranger's first packet, not shaped like a frame: no conn");
        HOST.put("handshake.replayed", "handshake token seen before (a replayed SYN)");
        HOST.put("handshake.memory_full", "good handshake token refused: too many accepted in 3 minutes");
        HOST.put("conn.unknown", "frame on a conn already forgotten");
        HOST.put("client.rejected", "client refused: too many clients");
        HOST.put("data.too_large", "datagram too large even in 15 fragments");
        HOST.put("data.no_session", "reply for a session that has ended");
        HOST.put("fragment.dropped", "fragments never completed (a piece was lost)");
        HOST.put("tunnel.no_conn", "datagram with no open conn to carry it");
        HOST.put("tunnel.send_failed", "frame the transport refused to send");
        HOST.put("session.evicted", "flow dropped: --max-sessions reached");
        HOST.put("session.open_failed", "flow dropped: no socket towards -t");
        HOST.put("app.send_failed", "reply the app's socket refused");
        HOST.put("target.error", "datagram the target's socket refused");
    }

    /** Words in a transport's counter names that mean a drop, e.g. {@code tcp.drop_bad_checksum}. */
    private static final String[] TRANSPORT_MARKS = {"drop", "reject", "bad_", "send_full", "too_large", "errors", "invalid"};

    private DropReasons() {
    }

    /** The drop counters in {@code counters}: the host's (all), then the transports' (those present). */
    public static Map<String, Long> of(Map<String, Long> counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        HOST.keySet().forEach(k -> out.put(k, counters.getOrDefault(k, 0L)));
        counters.forEach((k, v) -> {
            if (!HOST.containsKey(k) && isTransportDrop(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** What {@code counter} counts, in words; null when it is a transport's own (its README says). */
    public static String describe(String counter) {
        return HOST.get(counter);
    }

    private static boolean isTransportDrop(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String scope = name.substring(0, dot);
        if (scope.equals("frame") || scope.equals("conn") || scope.equals("session") || scope.equals("app")
                || scope.equals("target") || scope.equals("tunnel") || scope.equals("data") || scope.equals("client")
                || scope.equals("fragment") || scope.equals("server")) {
            return false;
        }
        for (String m : TRANSPORT_MARKS) {
            if (name.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
