package io.rsock.core.frame;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiles the frame path (framing, the MAC or the AEAD, the checks of the receiver) before the
 * first datagram arrives. Left to the traffic, the JIT compiles it during the first seconds of a
 * tunnel, and those datagrams wait behind interpreted code: a tunnel that starts into 20 000/s
 * queues hundreds of milliseconds. Here a background thread sends and reads frames of throwaway
 * keys, of the run's protection, onto a conn that keeps only the last one, and ends.
 */
public final class HotPathWarmup {
    /**
     * Frames sent and read: past the C2 compiler's thresholds (5 000 calls, 15 000 calls and loop
     * turns), in about a second of one core while still interpreted.
     */
    static final int ROUNDS = 10_000;

    private HotPathWarmup() {
    }

    /**
     * Starts the warm-up on a daemon thread of low priority and returns it, when
     * {@code -Drsock.warmup=true} (through {@code RSOCK_OPTS}); null otherwise. Off by default until
     * measured on a quiet machine: at load 16 the 10 000 rounds took 2.3 s of a core (6.4 s with
     * AES-GCM), which a run starting on a busy machine pays before its first handshake.
     */
    public static Thread start(FrameProtection protection) {
        if (!Boolean.getBoolean("rsock.warmup")) {
            return null;
        }
        Thread t = new Thread(() -> run(protection, ROUNDS), "rsock-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /** Sends and reads {@code rounds} frames of 1 200 and 64 bytes in turn; returns how many read back whole. */
    static int run(FrameProtection protection, int rounds) {
        String secret = "warmup-" + System.nanoTime();
        FrameKey clientKey = FrameKey.forClient(secret, protection);
        Association association = clientKey.associate(1, 2, 3, -1);
        Counters counters = new Counters();
        FrameSender sender = new FrameSender(clientKey, new AtomicLong(), counters.get("too_large"), counters.get("send_failed"));
        FrameReader reader = new FrameReader(FrameKey.forServer(secret, protection), counters);
        LastFrame conn = new LastFrame();
        ByteBuffer large = ByteBuffer.allocate(1200);
        ByteBuffer small = ByteBuffer.allocate(64);
        int[] read = new int[1];
        AssociationLookup<int[]> lookup = (x, id) -> association;
        FrameReader.Visitor<int[]> visitor = (count, f, buf) -> {
            count[0]++;
            return true;
        };
        for (int i = 0; i < rounds; i++) {
            ByteBuffer payload = (i & 1) == 0 ? large : small;
            payload.putInt(0, i);
            if (sender.send(conn, association, FrameType.DATA, 1, 2, payload)) {
                conn.last.flip();
                reader.read(conn.last, read, lookup, visitor);
            }
        }
        return read[0];
    }

    /** A conn that keeps a copy of the last frame it was given. */
    private static final class LastFrame implements Conn {
        final ByteBuffer last = ByteBuffer.allocate(2048);

        @Override
        public boolean send(ByteBuffer frame) {
            last.clear();
            last.put(frame.duplicate());
            return true;
        }

        @Override
        public int maxFrameSize() {
            return 1432;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public ConnInfo info() {
            return new ConnInfo("warmup", null, null);
        }

        @Override
        public void close() {
        }
    }
}
