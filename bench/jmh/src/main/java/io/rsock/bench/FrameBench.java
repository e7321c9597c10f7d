package io.rsock.bench;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.AssociationLookup;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameReader;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.frame.ReplayWindow;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Frame encode, decode (with the MAC check), the sender onto a conn and the reader with its visitor. */
@State(Scope.Thread)
public class FrameBench extends HotPathBench {
    @Param({"64", "512", "1200"})
    public int size;

    private FrameCodec codec;
    private FrameCodec serverCodec;
    private Association association;
    private final AssociationLookup<Blackhole> lookup = (bh, id) -> association;
    private ByteBuffer payload;
    private ByteBuffer out;
    private ByteBuffer frame;
    private final ReceivedFrame received = new ReceivedFrame();
    private FrameSender sender;
    private FrameReader reader;
    private Conn sink;
    private long counter;
    private final ReplayWindow replay = new ReplayWindow();
    private final FrameReader.Visitor<Blackhole> visitor = (bh, f, buf) -> {
        bh.consume(f.payloadLength());
        return true;
    };

    @Setup
    public void setUp() {
        FrameKey key = FrameKey.forClient("bench-secret", FrameProtection.NONE);
        FrameKey serverKey = FrameKey.forServer("bench-secret", FrameProtection.NONE);
        association = key.associate(1, 2, 3, -1);
        Counters counters = new Counters();
        codec = new FrameCodec(key);
        serverCodec = new FrameCodec(serverKey);
        payload = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            payload.put(i, (byte) i);
        }
        out = ByteBuffer.allocate(FrameCodec.OVERHEAD + size);
        frame = ByteBuffer.allocate(FrameCodec.OVERHEAD + size);
        codec.encode(frame, association, FrameType.DATA, 0, 1, 2, 3, payload);
        frame.flip();
        sender = new FrameSender(key, new AtomicLong(), counters.get("too_large"), counters.get("send_failed"));
        reader = new FrameReader(serverKey, counters);
        sink = new NullConn(1472 - 40);
    }

    @Benchmark
    public boolean encode() {
        out.clear();
        return codec.encode(out, association, FrameType.DATA, 0, 1, 2, ++counter, payload);
    }

    @Benchmark
    public int decode(Blackhole bh) {
        frame.position(0);
        return serverCodec.decode(frame, received, lookup, bh);
    }

    /** What a client does per datagram once it has a conn: frame, MAC, hand to the conn. */
    @Benchmark
    public boolean send() {
        return sender.send(sink, association, FrameType.DATA, 1, 2, payload);
    }

    /** What a receiver does per packet: check every frame and visit the good ones. */
    @Benchmark
    public int read(Blackhole bh) {
        return reader.read(frame, bh, lookup, visitor);
    }

    /** The anti-replay check every received frame passes (in order, the common case). */
    @Benchmark
    public boolean replayWindow() {
        return replay.accept(++counter);
    }

    /** A conn that takes every frame and does nothing with it. */
    static final class NullConn implements Conn {
        private final int max;
        long bytes;

        NullConn(int max) {
            this.max = max;
        }

        @Override
        public boolean send(ByteBuffer f) {
            bytes += f.remaining();
            return true;
        }

        @Override
        public int maxFrameSize() {
            return max;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public ConnInfo info() {
            return new ConnInfo("null", null, null);
        }

        @Override
        public void close() {
        }
    }
}
