package io.rsock.api.util;

import java.util.ArrayList;
import java.util.List;

/**
 * A map from {@code long} keys to values whose lookups are lock-free and allocate nothing (no boxed
 * keys), for the receive path. Writes (a new conn, a closed conn: rare) build a new open-addressing
 * table under a lock and publish it through one volatile field. Transports use it to find the conn
 * of a received packet by (address, port) packed in a long.
 *
 * @param <V> the values; never {@code null}
 */
public final class LongMap<V> {
    /** An immutable table once published. */
    private static final class Table {
        final long[] keys;
        final Object[] values;

        Table(int capacity) {
            keys = new long[capacity];
            values = new Object[capacity];
        }
    }

    private volatile Table table = new Table(8);
    private int size;

    /** The value for {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        Table t = table;
        int mask = t.values.length - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Adds {@code value} under {@code key} unless the key is taken; returns whether it was added. */
    public synchronized boolean putIfAbsent(long key, V value) {
        if (get(key) != null) {
            return false;
        }
        Table next = rebuild(size + 1, key, true);
        insert(next, key, value);
        table = next;
        size++;
        return true;
    }

    /** Removes {@code key} if it maps to {@code value}. */
    public synchronized void remove(long key, V value) {
        if (value == null || get(key) != value) {
            return;
        }
        table = rebuild(size - 1, key, false);
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

    /** A copy of the table sized for {@code n} entries, without {@code skip} unless {@code keepSkip}. */
    private Table rebuild(int n, long skip, boolean keepSkip) {
        int cap = 8;
        while (cap < n * 2) {
            cap <<= 1;
        }
        Table old = table;
        Table next = new Table(cap);
        for (int i = 0; i < old.values.length; i++) {
            if (old.values[i] != null && (keepSkip || old.keys[i] != skip)) {
                insert(next, old.keys[i], old.values[i]);
            }
        }
        return next;
    }

    private static void insert(Table t, long key, Object value) {
        int mask = t.values.length - 1;
        int i = index(key, mask);
        while (t.values[i] != null) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.values[i] = value;
    }

    private static int index(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
