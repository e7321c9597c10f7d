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

    /** Largest frame, in bytes, that {@link #send} carries in one packet. */
    int maxFrameSize();

    /** Whether the conn can carry frames now. */
    boolean isOpen();

    /** What this conn is, for logs and status. */
    ConnInfo info();

    /** Closes the conn (telling the peer where the transport can); {@link ConnHandler#closed} follows with {@link CloseReason#LOCAL}. Idempotent. */
    void close();
}
