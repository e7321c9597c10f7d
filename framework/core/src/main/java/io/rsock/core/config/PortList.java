package io.rsock.core.config;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of ports as {@code -p/--ports} spells it: {@code 10001,10010}, {@code 10001-10010},
 * {@code 80,443,10001-10010}. No white space, ports 1-65535, ranges low-high. Kept in ascending
 * order without duplicates.
 */
public final class PortList {
    /** The original tool's default: {@code 10001-10010}. */
    public static final String DEFAULT = "10001-10010";

    private final int[] ports;

    private PortList(int[] ports) {
        this.ports = ports;
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException with a message that says what is wrong, for the user
     */
    public static PortList parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new IllegalArgumentException("empty port list");
        }
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (!(c >= '0' && c <= '9') && c != ',' && c != '-') {
                throw new IllegalArgumentException(Character.isWhitespace(c)
                        ? "no white space allowed in '" + spec + "'"
                        : "unexpected '" + c + "' in '" + spec + "' (use e.g. 80,443,10001-10010)");
            }
        }
        BitSet set = new BitSet(65536);
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty item in '" + spec + "'");
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                set.set(port(part, spec));
                continue;
            }
            String lo = part.substring(0, dash);
            String hi = part.substring(dash + 1);
            if (lo.isEmpty() || hi.isEmpty() || hi.indexOf('-') >= 0) {
                throw new IllegalArgumentException("'" + part + "' is not a range low-high");
            }
            int low = port(lo, spec);
            int high = port(hi, spec);
            if (low > high) {
                throw new IllegalArgumentException("range '" + part + "' goes backwards (write " + high + "-" + low + ")");
            }
            set.set(low, high + 1);
        }
        return new PortList(set.stream().toArray());
    }

    /** The set {@code ports} holds (each 1-65535), e.g. the ports a server listens on now. */
    public static PortList of(Collection<Integer> ports) {
        return new PortList(ports.stream().mapToInt(Integer::intValue).sorted().distinct().toArray());
    }

    private static int port(String digits, String spec) {
        if (digits.length() > 5) {
            throw new IllegalArgumentException("port " + digits + " is out of range 1-65535");
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range 1-65535");
        }
        return p;
    }

    /** The ports, sorted, as a set. */
    public SortedSet<Integer> asSet() {
        SortedSet<Integer> set = new TreeSet<>();
        for (int p : ports) {
            set.add(p);
        }
        return set;
    }

    /** The ports in ascending order (a copy). */
    public int[] ports() {
        return ports.clone();
    }

    public int size() {
        return ports.length;
    }

    /** The shortest spelling of this set, e.g. {@code 80,443,10001-10010}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ports.length; ) {
            int j = i;
            while (j + 1 < ports.length && ports[j + 1] == ports[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ports[i]);
            if (j > i) {
                sb.append('-').append(ports[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortList other && Arrays.equals(ports, other.ports);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ports);
    }
}
