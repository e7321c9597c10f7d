package io.rsock.api;

import java.nio.ByteBuffer;

/** One tunnel connection: a path over which frames travel between one client and one server port. */
public interface Conn {

    /**
     * Sends one frame: the bytes from {@code frame.position()} to {@code frame.limit()}. The buffer
     * belongs to the caller and may be reused as soon as this returns; the transport copies what it
     * keeps. Never blocks. Safe to call from any thread.
     *
     * @return {@code false} when the frame was dropped (conn not open, send buffer full, too large)
     */
    boolean send(ByteBuffer frame);

    /**
     * Sends {@code frames[0]} to {@code frames[count - 1]} in that order, as {@link #send(ByteBuffer)}
     * would one by one. A transport that can hand many packets to the kernel in one call (one
     * {@code sendmmsg}) overrides this: the host calls it with what it read in one batch.
     *
     * @return how many of the frames were accepted
     */
    default int send(ByteBuffer[] frames, int count) {
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            if (send(frames[i])) {
                accepted++;
            }
        }
        return accepted;
    }

    /** Largest frame, in bytes, that {@link #send} carries in one packet. */
    int maxFrameSize();

    /** Whether the conn can carry frames now. */
    boolean isOpen();

    /** What this conn is, for logs and status. */
    ConnInfo info();

    /** Closes the conn (telling the peer where the transport can); {@link ConnHandler#closed} follows with {@link CloseReason#LOCAL}. Idempotent. */
    void close();
}
