package io.rsock.core.host;

import io.rsock.core.frame.Kdf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import javax.crypto.Mac;

/**
 * {@code --random-ports N}: in each time window of {@code --port-rotation} seconds the server listens
 * on only N ports of {@code --ports}, a set both ends derive from the secret and the window's number,
 * so a scanner sees few ports and they keep moving, and an observer cannot tell the next set.
 *
 * <p>The set of window {@code k} is the first N of a permutation of the (sorted) port list, drawn
 * by Fisher–Yates from HMAC-SHA256(key, k ‖ i), the key derived from the secret with its own label.
 * Windows count from the Unix epoch on the wall clock, so both ends agree without talking, as long
 * as their clocks are within half the overlap of each other (NTP does far better).
 *
 * <p>Around each boundary the sets overlap so that no app flow stops: the server listens on the
 * next set from {@link #overlapMillis()} before the boundary and keeps the old one until as long
 * after; the client dials the new set half that long before the boundary and lets the old conns go
 * half that long after.
 */
public final class PortSchedule {
    private static final String LABEL = "rsock-java/v1/random-ports";

    private final int[] ports;
    private final int count;
    private final long windowMillis;
    private final long overlapMillis;
    private final LongSupplier wallClockMillis;
    private final byte[] key;

    /**
     * @param ports the candidate ports ({@code --ports})
     * @param count how many to use at a time ({@code --random-ports})
     * @param windowMillis how long a set lives ({@code --port-rotation})
     */
    public PortSchedule(String secret, int[] ports, int count, long windowMillis, LongSupplier wallClockMillis) {
        this.ports = Arrays.stream(ports).distinct().sorted().toArray();
        if (count < 1 || count > this.ports.length) {
            throw new IllegalArgumentException("random ports: " + count + " of " + this.ports.length + " ports");
        }
        this.count = count;
        this.windowMillis = windowMillis;
        this.overlapMillis = Math.min(60_000, windowMillis / 4);
        this.wallClockMillis = wallClockMillis;
        this.key = Kdf.derive(LABEL, secret);
    }

    /** The ports of window {@code k}, sorted. */
    public int[] portsOfWindow(long k) {
        int[] perm = ports.clone();
        Mac mac = Kdf.hmac(key);
        ByteBuffer in = ByteBuffer.allocate(12);
        for (int i = 0; i < count; i++) {
            in.clear();
            in.putLong(k).putInt(i);
            byte[] r = mac.doFinal(in.array());
            long draw = ByteBuffer.wrap(r).getLong() >>> 1;
            int j = i + (int) (draw % (perm.length - i)); // the bias of a 63-bit draw mod < 65536 is negligible
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] chosen = Arrays.copyOf(perm, count);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The server's listening set now: this window's, plus the next one's or the last one's within the overlap. */
    public Set<Integer> serverPorts() {
        return around(overlapMillis);
    }

    /** The client's conns now: this window's, plus the next or last one's within half the overlap. */
    public Set<Integer> clientPorts() {
        return around(overlapMillis / 2);
    }

    private Set<Integer> around(long margin) {
        long now = wallClockMillis.getAsLong();
        long k = Math.floorDiv(now, windowMillis);
        long into = now - k * windowMillis;
        Set<Integer> out = new TreeSet<>();
        add(out, portsOfWindow(k));
        if (into < margin) {
            add(out, portsOfWindow(k - 1));
        }
        if (windowMillis - into < margin) {
            add(out, portsOfWindow(k + 1));
        }
        return out;
    }

    public long overlapMillis() {
        return overlapMillis;
    }

    private static void add(Set<Integer> to, int[] ports) {
        for (int p : ports) {
            to.add(p);
        }
    }
}
