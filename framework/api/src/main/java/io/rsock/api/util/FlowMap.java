package io.rsock.api.util;

import io.rsock.api.codec.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A map from a remote endpoint (an IPv4 or IPv6 address and a 16-bit port or echo identifier) to
 * values, whose lookups are lock-free and allocate nothing: the receive path reads the key straight
 * from the packet ({@link IpAddress#sourceHigh}, {@link IpAddress#sourceLow}) and finds the conn.
 * {@link LongMap}'s design for keys of both families: writes (a new conn, a closed conn: rare) build
 * a new open-addressing table under a lock and publish it through one volatile field.
 *
 * <p>The hash is seeded per map: a peer that chooses its own addresses (an IPv6 host has a /64 to
 * choose from) cannot aim a crowd of entries at one probe sequence.
 *
 * @param <V> the values; never {@code null}
 */
public final class FlowMap<V> {
    /** An immutable table once published. */
    private static final class Table {
        final long[] highs;
        final long[] lows;
        final int[] ports;
        final Object[] values;

        Table(int capacity) {
            highs = new long[capacity];
            lows = new long[capacity];
            ports = new int[capacity];
            values = new Object[capacity];
        }
    }

    private final long seed = ThreadLocalRandom.current().nextLong();
    private volatile Table table = new Table(8);
    private int size;

    /** The value for the address {@code (high, low)} ({@link IpAddress#high()}, {@link IpAddress#low()}) and {@code port}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long high, long low, int port) {
        Table t = table;
        int mask = t.values.length - 1;
        for (int i = index(high, low, port, mask); ; i = (i + 1) & mask) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.lows[i] == low && t.ports[i] == port && t.highs[i] == high) {
                return (V) v;
            }
        }
    }

    /** The value for {@code address} and {@code port}, or null. */
    public V get(IpAddress address, int port) {
        return get(address.high(), address.low(), port);
    }

    /** Adds {@code value} under ({@code address}, {@code port}) unless the key is taken; returns whether it was added. */
    public boolean putIfAbsent(IpAddress address, int port, V value) {
        return putIfAbsent(address.high(), address.low(), port, value);
    }

    /** Removes ({@code address}, {@code port}) if it maps to {@code value}. */
    public void remove(IpAddress address, int port, V value) {
        remove(address.high(), address.low(), port, value);
    }

    synchronized boolean putIfAbsent(long high, long low, int port, V value) {
        if (get(high, low, port) != null) {
            return false;
        }
        Table next = rebuild(size + 1, false, 0, 0, 0, null);
        insert(next, high, low, port, value);
        table = next;
        size++;
        return true;
    }

    synchronized void remove(long high, long low, int port, V value) {
        if (value == null || get(high, low, port) != value) {
            return;
        }
        table = rebuild(size - 1, true, high, low, port, value);
        size--;
    }

    /** A snapshot of the values. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        Table t = table;
        List<V> out = new ArrayList<>();
        for (Object v : t.values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }

    /** A copy of the table sized for {@code n} entries, without the entry ({@code high, low, port}) if {@code skip}. */
    private Table rebuild(int n, boolean skip, long high, long low, int port, Object value) {
        int cap = 8;
        while (cap < n * 2) {
            cap <<= 1;
        }
        Table old = table;
        Table next = new Table(cap);
        for (int i = 0; i < old.values.length; i++) {
            if (old.values[i] != null && (!skip || old.values[i] != value || old.ports[i] != port
                    || old.highs[i] != high || old.lows[i] != low)) {
                insert(next, old.highs[i], old.lows[i], old.ports[i], old.values[i]);
            }
        }
        return next;
    }

    private void insert(Table t, long high, long low, int port, Object value) {
        int mask = t.values.length - 1;
        int i = index(high, low, port, mask);
        while (t.values[i] != null) {
            i = (i + 1) & mask;
        }
        t.highs[i] = high;
        t.lows[i] = low;
        t.ports[i] = port;
        t.values[i] = value;
    }

    private int index(long high, long low, int port, int mask) {
        return (int) mix(mix(low ^ seed) + high * 31 + port) & mask;
    }

    /** MurmurHash3's finalizer: every input bit moves every output bit. */
    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return x ^ (x >>> 33);
    }
}
