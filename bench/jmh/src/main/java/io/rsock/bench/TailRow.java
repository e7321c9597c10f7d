package io.rsock.bench;

import io.rsock.netlab.ProbeResult;
import java.util.Locale;

/**
 * The round trip a tunnel adds at one paced rate, measured on a tunnel started 5 s before (no
 * warm-up), each tunnel trial right after a direct one so that both see the same machine.
 *
 * @param path the tunnel path ("tcp", "udp", "icmp", "relay")
 * @param rate datagrams a second offered
 * @param direct the direct UDP trial
 * @param tunnel the trial through the tunnel
 */
record TailRow(String path, int rate, ProbeResult direct, ProbeResult tunnel) {
    /** The bound: added p50 at most 60 us and added p99 at most 1 ms. */
    static final double MAX_ADDED_P50_US = 60;
    static final double MAX_ADDED_P99_US = 1000;

    double addedP50() {
        return tunnel.p50Micros() - direct.p50Micros();
    }

    double addedP99() {
        return tunnel.p99Micros() - direct.p99Micros();
    }

    boolean met() {
        return tunnel.lossPercent() < 1 && addedP50() <= MAX_ADDED_P50_US && addedP99() <= MAX_ADDED_P99_US;
    }

    String line() {
        return String.format(Locale.ROOT, "%-8s %7d/s  direct %6.0f / %6.0f us  tunnel %6.0f / %6.0f us (%.2f%% lost)  added %+6.0f / %+6.0f us  %s",
                path, rate, direct.p50Micros(), direct.p99Micros(), tunnel.p50Micros(), tunnel.p99Micros(), tunnel.lossPercent(),
                addedP50(), addedP99(), path.equals("relay") ? "(reference)" : met() ? "met" : "NOT met");
    }
}
