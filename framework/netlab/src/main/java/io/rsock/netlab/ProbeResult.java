package io.rsock.netlab;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link UdpProbe} measured: datagrams sent and echoed back intact, the damage it saw, the
 * delivered rate and the round-trip times. Printed as one line of flat JSON so the process that
 * started the probe in a namespace can read it back with {@link #parse}.
 *
 * @param sent datagrams handed to the kernel
 * @param received distinct datagrams echoed back, intact, on the flow that sent them
 * @param corrupt replies whose bytes differ from what was sent
 * @param misrouted intact replies that arrived on another flow's socket
 * @param duplicates replies of a datagram already received
 * @param mbps echoed payload bits per second, measured from the first send to the last reply
 * @param p50Micros median round trip
 * @param p99Micros 99th percentile round trip
 * @param maxGapMillis the longest silence between two replies: how long an outage the app saw
 */
public record ProbeResult(long sent, long received, long corrupt, long misrouted, long duplicates, double mbps,
        double p50Micros, double p99Micros, double maxGapMillis) {

    /** Received over sent, in percent. */
    public double deliveredPercent() {
        return sent == 0 ? 0 : 100.0 * received / sent;
    }

    /** Lost over sent, in percent. */
    public double lossPercent() {
        return sent == 0 ? 100 : 100.0 - deliveredPercent();
    }

    /** True when every reply was intact and on its own flow. */
    public boolean clean() {
        return corrupt == 0 && misrouted == 0;
    }

    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"sent\":%d,\"received\":%d,\"corrupt\":%d,\"misrouted\":%d,\"duplicates\":%d,\"mbps\":%.3f,"
                        + "\"p50Micros\":%.1f,\"p99Micros\":%.1f,\"maxGapMillis\":%.1f}",
                sent, received, corrupt, misrouted, duplicates, mbps, p50Micros, p99Micros, maxGapMillis);
    }

    /** Reads the last line of {@code output} that is a probe result. */
    public static ProbeResult parse(String output) {
        String line = null;
        for (String l : output.split("\n")) {
            if (l.startsWith("{\"sent\":")) {
                line = l;
            }
        }
        if (line == null) {
            throw new LabException("no probe result in: " + output.strip());
        }
        Map<String, Double> v = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":([-0-9.eE]+)").matcher(line);
        while (m.find()) {
            v.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return new ProbeResult(v.get("sent").longValue(), v.get("received").longValue(), v.get("corrupt").longValue(),
                v.get("misrouted").longValue(), v.get("duplicates").longValue(), v.get("mbps"), v.get("p50Micros"),
                v.get("p99Micros"), v.get("maxGapMillis"));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d delivered (%.2f%%), %.1f Mbit/s, p50 %.0f us, p99 %.0f us%s", received, sent,
                deliveredPercent(), mbps, p50Micros, p99Micros,
                clean() ? "" : ", " + corrupt + " corrupt, " + misrouted + " misrouted");
    }
}
