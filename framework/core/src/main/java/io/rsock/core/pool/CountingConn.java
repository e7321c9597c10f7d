package io.rsock.core.pool;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import java.nio.ByteBuffer;

/**
 * A conn that counts every frame handed to it, by size, after the transport took it: what this end
 * sent on the conn, for the delivery reports. Counting after the hand-over keeps a frame from being
 * counted before a marker that overtakes it on the wire (see {@link ConnDelivery}). A frame the
 * transport refused counts as sent and lost: a full send buffer is a reason to weigh the conn less.
 */
public final class CountingConn implements Conn {
    private final Conn conn;
    private final DeliveryCounter sent;

    public CountingConn(Conn conn, DeliveryCounter sent) {
        this.conn = conn;
        this.sent = sent;
    }

    /** The transport's conn. */
    public Conn unwrap() {
        return conn;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        int bytes = frame.remaining();
        boolean ok = conn.send(frame);
        sent.count(bytes);
        return ok;
    }

    @Override
    public int send(ByteBuffer[] frames, int count) {
        // The sizes first: a transport may move the buffers' positions as it sends them.
        int small = 0;
        int medium = 0;
        int large = 0;
        int bytes = 0;
        for (int i = 0; i < count; i++) {
            int b = frames[i].remaining();
            bytes += b;
            switch (SizeClass.of(b)) {
                case SizeClass.SMALL -> small++;
                case SizeClass.MEDIUM -> medium++;
                default -> large++;
            }
        }
        int accepted = conn.send(frames, count);
        sent.count(small, medium, large, bytes);
        return accepted;
    }

    @Override
    public int maxFrameSize() {
        return conn.maxFrameSize();
    }

    @Override
    public boolean isOpen() {
        return conn.isOpen();
    }

    @Override
    public ConnInfo info() {
        return conn.info();
    }

    @Override
    public void close() {
        conn.close();
    }

    @Override
    public String toString() {
        return conn.toString();
    }
}
