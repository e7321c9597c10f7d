package io.rsock.bench;

import io.rsock.core.session.Session;
import io.rsock.core.session.SessionTable;
import io.rsock.core.stats.Counters;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Session lookup as each end does it per datagram: the client by the app's source address, the
 * server by (client id, session id) packed in a long.
 */
@State(Scope.Thread)
public class SessionBench extends HotPathBench {
    @Param({"1", "1000"})
    public int flows;

    private SessionTable<InetSocketAddress, Session> byAddress;
    private SessionTable<Long, Session> byKey;
    private InetSocketAddress[] addresses;
    private long[] keys;
    private int i;
    private final Function<InetSocketAddress, Session> newByAddress = a -> new BenchSession();
    private final Function<Long, Session> newByKey = k -> new BenchSession();

    @Setup
    public void setUp() {
        Counters c = new Counters();
        byAddress = new SessionTable<>(16384, TimeUnit.SECONDS.toNanos(30), c.get("e"), c.get("x"), (s, w) -> { });
        byKey = new SessionTable<>(16384, TimeUnit.SECONDS.toNanos(30), c.get("e"), c.get("x"), (s, w) -> { });
        addresses = new InetSocketAddress[flows];
        keys = new long[flows];
        for (int k = 0; k < flows; k++) {
            addresses[k] = new InetSocketAddress("127.0.0.1", 20000 + k);
            keys[k] = (0x12345678L << 32) | (k + 1);
            byAddress.getOrCreate(addresses[k], 0, newByAddress);
            byKey.getOrCreate(keys[k], 0, newByKey);
        }
    }

    /** Client: the app's source address (a fresh but equal InetSocketAddress per datagram in reality). */
    @Benchmark
    public Session clientLookup() {
        Session s = byAddress.getOrCreate(addresses[i++ % flows], 1, newByAddress);
        s.touch(1);
        return s;
    }

    /** Server: (client id, session id) as a long key. */
    @Benchmark
    public Session serverLookup() {
        Session s = byKey.getOrCreate(keys[i++ % flows], 1, newByKey);
        s.touch(1);
        return s;
    }

    static final class BenchSession extends Session {
        BenchSession() {
            super(0);
        }

        @Override
        protected void release(EndReason why) {
        }
    }
}
