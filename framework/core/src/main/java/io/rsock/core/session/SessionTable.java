package io.rsock.core.session;

import io.rsock.api.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A bounded map of sessions with idle expiry, shared by the client's and the server's session
 * tables. Lookups are lock-free from any thread; creation is serialized so the bound holds. When
 * full, the least recently active sessions make room (counted): a flood of new flows costs CPU, never
 * unbounded memory, and an active flow is never the one evicted while an idle one exists. Eviction
 * takes the least recently active 1/{@value #EVICT_FRACTION} of the table in one scan, so that a flood
 * costs O(log n) per new flow instead of a scan of the whole table per new flow.
 *
 * @param <K> the key (an app endpoint, a (client, session) pair)
 * @param <S> the session
 */
public final class SessionTable<K, S extends Session> {
    static final int EVICT_FRACTION = 64;
    private final Map<K, S> sessions = new ConcurrentHashMap<>();
    private final int capacity;
    private final long idleNanos;
    private final Counter evictions;
    private final Counter expirations;
    private final BiConsumer<S, Session.EndReason> onEnd;

    /**
     * @param capacity most sessions held at once
     * @param idleNanos a session idle this long expires
     * @param evictions counts sessions dropped to make room
     * @param expirations counts sessions expired idle
     * @param onEnd told of every session that leaves (after its {@link Session#release})
     */
    public SessionTable(int capacity, long idleNanos, Counter evictions, Counter expirations,
            BiConsumer<S, Session.EndReason> onEnd) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.evictions = evictions;
        this.expirations = expirations;
        this.onEnd = onEnd;
    }

    public S get(K key) {
        return sessions.get(key);
    }

    /**
     * The session of {@code key}, created by {@code factory} if there is none. Returns null if the
     * factory does (it could not open a socket, say).
     */
    public S getOrCreate(K key, long nowNanos, Function<K, S> factory) {
        S s = sessions.get(key);
        if (s != null) {
            return s;
        }
        synchronized (this) {
            s = sessions.get(key);
            if (s != null) {
                return s;
            }
            if (sessions.size() >= capacity) {
                expire(nowNanos);
            }
            if (sessions.size() >= capacity) {
                evictLeastRecentlyActive();
            }
            s = factory.apply(key);
            if (s != null) {
                s.touch(nowNanos);
                sessions.put(key, s);
            }
            return s;
        }
    }

    /** Removes the session of {@code key}, if any, for {@code why}. */
    public void remove(K key, Session.EndReason why) {
        S s = sessions.remove(key);
        if (s != null) {
            end(s, why);
        }
    }

    /** Removes every session idle for the table's idle time. Returns how many. */
    public int expire(long nowNanos) {
        List<K> idle = new ArrayList<>();
        sessions.forEach((k, s) -> {
            if (nowNanos - s.lastActiveNanos() >= idleNanos) {
                idle.add(k);
            }
        });
        int n = 0;
        for (K k : idle) {
            S s = sessions.get(k);
            // Re-check: a datagram may have touched it since the scan.
            if (s != null && nowNanos - s.lastActiveNanos() >= idleNanos && sessions.remove(k, s)) {
                expirations.increment();
                end(s, Session.EndReason.IDLE);
                n++;
            }
        }
        return n;
    }

    /** Removes every session (shutdown). */
    public void clear() {
        for (K k : new ArrayList<>(sessions.keySet())) {
            remove(k, Session.EndReason.SHUTDOWN);
        }
    }

    public int size() {
        return sessions.size();
    }

    public int capacity() {
        return capacity;
    }

    /** A snapshot of the sessions, for status. */
    public List<S> snapshot() {
        return new ArrayList<>(sessions.values());
    }

    private void evictLeastRecentlyActive() {
        int n = sessions.size();
        if (n == 0) {
            return;
        }
        int k = Math.max(1, n / EVICT_FRACTION);
        long[] ages = new long[n];
        long ref = 0;
        int i = 0;
        for (S s : sessions.values()) {
            if (i == 0) {
                ref = s.lastActiveNanos();
            }
            if (i < n) {
                ages[i++] = s.lastActiveNanos() - ref; // relative: nanoTime may be negative or wrap
            }
        }
        java.util.Arrays.sort(ages, 0, i);
        long threshold = ages[Math.min(k, i) - 1];
        int evicted = 0;
        for (Map.Entry<K, S> e : sessions.entrySet()) {
            if (evicted >= k) {
                break;
            }
            S s = e.getValue();
            if (s.lastActiveNanos() - ref <= threshold && sessions.remove(e.getKey(), s)) {
                evictions.increment();
                end(s, Session.EndReason.EVICTED);
                evicted++;
            }
        }
    }

    private void end(S s, Session.EndReason why) {
        try {
            s.release(why);
        } finally {
            onEnd.accept(s, why);
        }
    }
}
