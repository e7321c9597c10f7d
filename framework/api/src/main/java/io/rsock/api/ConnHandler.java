package io.rsock.api;

import java.nio.ByteBuffer;

/**
 * The host's side of a conn: what a transport tells it. Called from the transport's I/O threads;
 * implementations return quickly and never block.
 */
public interface ConnHandler {

    /** The conn can carry frames now. */
    void opened(Conn conn);

    /**
     * One frame arrived. {@code frame} holds it from position to limit and is valid only during this
     * call: the transport reuses the buffer afterwards.
     */
    void received(Conn conn, ByteBuffer frame);

    /** The conn is gone and will not be used again. Called once per conn, also when {@code opened} never was. */
    void closed(Conn conn, CloseReason why);
}
