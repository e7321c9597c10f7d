package io.rsock.core.frame;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A conn that keeps a copy of every frame it is asked to send and how it was asked: one call per
 * batch of n frames ({@code n}), or per single frame ({@code 0}). Refuses every
 * {@code refuseEvery}-th frame when that is not 0.
 */
final class RecordingConn implements Conn {
    final List<ByteBuffer> sent = new ArrayList<>();
    final List<Integer> calls = new ArrayList<>();
    private final int max;
    private final int refuseEvery;
    private int seen;

    RecordingConn(int max) {
        this(max, 0);
    }

    RecordingConn(int max, int refuseEvery) {
        this.max = max;
        this.refuseEvery = refuseEvery;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        calls.add(0);
        return take(frame);
    }

    @Override
    public int send(ByteBuffer[] frames, int count) {
        calls.add(count);
        int ok = 0;
        for (int i = 0; i < count; i++) {
            ok += take(frames[i]) ? 1 : 0;
        }
        return ok;
    }

    private boolean take(ByteBuffer frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
        copy.put(frame.duplicate()).flip();
        sent.add(copy);
        return refuseEvery == 0 || ++seen % refuseEvery != 0;
    }

    /** The session id in the header of each frame sent, in order. */
    List<Integer> sessions() {
        List<Integer> ids = new ArrayList<>();
        for (ByteBuffer f : sent) {
            ids.add(f.getInt(8));
        }
        return ids;
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
        return new ConnInfo("test", null, new InetSocketAddress("127.0.0.1", 1));
    }

    @Override
    public void close() {
    }
}
