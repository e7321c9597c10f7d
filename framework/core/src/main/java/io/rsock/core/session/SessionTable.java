package io.rsock.core.session;

import io.rsock.api.Counter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded map of sessions with idle expiry, shared by the client's and the server's session
 * tables. Lookups are lock-free from any thread; creation is serialized so the bound holds. When
 * full, the least recently active sessions make room (counted): a flood of new flows costs CPU, never
 * unbounded memory, and an active flow is never the one evicted while an idle one exists. Eviction
 * takes the least recently active 1/{@value #EVICT_FRACTION} of the table in one scan, so that a flood
 * costs O(log n) per new flow instead of a scan of the whole table per new flow. The scan walks every
 * session, a cache miss or two each, on the server's capture thread, which every packet waits for: the
 * fraction is large so that scans are rare (docs/performance.md, {@code SessionFloodBench}).
 *
 * @param <K> the key (an app endpoint, a (client, session) pair)
 * @param <S> the session
 */
public final class SessionTable<K, S extends Session> {
    static final int EVICT_FRACTION = 16;
    private final Map<K, S> sessions = new ConcurrentHashMap<>();
    private final int capacity;
    private final long idleNanos;
    private final Counter evictions;
    private final Counter expirations;
    private final BiConsumer<S, Session.EndReason> onEnd;
    private final long newPerSecond;
    private final Counter rateLimited;
    private long tokens; // guarded by this; new sessions allowed now, refilled at newPerSecond up to newPerSecond
    private long refilledNanos;
    private boolean refilledOnce;

    /**
     * @param capacity most sessions held at once
     * @param idleNanos a session idle this long expires
     * @param evictions counts sessions dropped to make room
     * @param expirations counts sessions expired idle
     * @param onEnd told of every session that leaves (after its {@link Session#release})
     */
    public SessionTable(int capacity, long idleNanos, Counter evictions, Counter expirations,
            BiConsumer<S, Session.EndReason> onEnd) {
        this(capacity, idleNanos, Long.MAX_VALUE, evictions, expirations, null, onEnd);
    }

    /**
     * @param newPerSecond most sessions created per second (a burst of as many is allowed): a flood of
     *     new flows beyond is dropped before it costs a socket, an eviction or a frame; {@link Long#MAX_VALUE}: no limit
     * @param rateLimited counts datagrams of new flows dropped for the rate (may be null when unlimited)
     */
    public SessionTable(int capacity, long idleNanos, long newPerSecond, Counter evictions, Counter expirations,
            Counter rateLimited, BiConsumer<S, Session.EndReason> onEnd) {
        if (capacity < 1 || newPerSecond < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", new per second " + newPerSecond);
        }
        this.newPerSecond = newPerSecond;
        this.rateLimited = rateLimited;
        this.tokens = newPerSecond;
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
     * factory does (it could not open a socket, say), or when sessions are being created faster than
     * the table's rate allows (counted).
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
            if (!takeToken(nowNanos)) {
                rateLimited.increment();
                return null;
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

    private boolean takeToken(long nowNanos) {
        if (newPerSecond == Long.MAX_VALUE) {
            return true;
        }
        if (!refilledOnce) {
            refilledOnce = true;
            refilledNanos = nowNanos;
        }
        long elapsed = nowNanos - refilledNanos;
        if (elapsed > 0) {
            long add = elapsed >= 1_000_000_000L ? newPerSecond : elapsed * newPerSecond / 1_000_000_000L;
            if (add > 0) {
                tokens = Math.min(newPerSecond, tokens + add);
                refilledNanos = add == newPerSecond ? nowNanos : refilledNanos + add * 1_000_000_000L / newPerSecond;
            }
        }
        if (tokens > 0) {
            tokens--;
            return true;
        }
        return false;
    }

    /**
     * Evicts (counted as evictions) the least recently active 1/{@value #EVICT_FRACTION} (at least one) of
     * the {@code count} sessions that {@code which} selects: how one client that holds too many makes
     * room, in one scan per batch.
     */
    public synchronized void evictOldest(Predicate<S> which, int count) {
        evictBatch(which, count);
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
        evictBatch(null, sessions.size());
    }

    private void evictBatch(Predicate<S> which, int n) {
        if (n <= 0) {
            return;
        }
        int k = Math.max(1, n / EVICT_FRACTION);
        long[] ages = new long[n];
        long ref = 0;
        int i = 0;
        for (S s : sessions.values()) {
            if (i < n && (which == null || which.test(s))) {
                if (i == 0) {
                    ref = s.lastActiveNanos();
                }
                ages[i++] = s.lastActiveNanos() - ref; // relative: nanoTime may be negative or wrap
            }
        }
        if (i == 0) {
            return;
        }
        Arrays.sort(ages, 0, i);
        long threshold = ages[Math.min(k, i) - 1];
        int evicted = 0;
        for (Map.Entry<K, S> e : sessions.entrySet()) {
            if (evicted >= k) {
                break;
            }
            S s = e.getValue();
            if ((which == null || which.test(s)) && s.lastActiveNanos() - ref <= threshold && sessions.remove(e.getKey(), s)) {
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
