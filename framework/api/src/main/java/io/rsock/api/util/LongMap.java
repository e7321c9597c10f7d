package io.rsock.api.util;

import java.util.List;

/**
 * A map from {@code long} keys to values whose lookups are lock-free and allocate nothing (no boxed
 * keys), for the receive path: a {@link FlowMap} keyed by the long alone. Writes (a new conn, a
 * closed conn: rare) build a new table under a lock and publish it through one volatile field.
 *
 * @param <V> the values; never {@code null}
 */
public final class LongMap<V> {
    private final FlowMap<V> map = new FlowMap<>();

    /** The value for {@code key}, or {@code null}. */
    public V get(long key) {
        return map.get(key, 0, 0);
    }

    /** Adds {@code value} under {@code key} unless the key is taken; returns whether it was added. */
    public boolean putIfAbsent(long key, V value) {
        return map.putIfAbsent(key, 0, 0, value);
    }

    /** Removes {@code key} if it maps to {@code value}. */
    public void remove(long key, V value) {
        map.remove(key, 0, 0, value);
    }

    /** A snapshot of the values. */
    public List<V> values() {
        return map.values();
    }

    public int size() {
        return map.size();
    }
}
