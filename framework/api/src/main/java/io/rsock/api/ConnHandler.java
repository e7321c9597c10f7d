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

    /**
     * Whether the first packet from a remote that has no conn yet deserves one. A transport that
     * makes a server conn from a remote's first packet (UDP, ICMP, DNS) asks this first, with the
     * packet's payload from position to limit (valid during the call only; the handler leaves its
     * position and limit as they were), and makes no conn when
     * the answer is no: an empty or frameless packet from a stranger then takes no conn slot. The
     * host answers from a cheap check of the frame's shape. Default: yes.
     */
    default boolean admits(ByteBuffer firstPayload) {
        return true;
    }

    /**
     * {@link #received}, and whether the frames authenticated (the first one checked out under the
     * secret). For a transport whose own state must move only on authentic packets, since it cannot
     * check frames itself: fake TCP's {@code rcv.nxt}, ICMP's sequence window. Default: calls
     * {@link #received} and says yes.
     */
    default boolean receivedAuthentic(Conn conn, ByteBuffer frame) {
        received(conn, frame);
        return true;
    }

    /** The conn is gone and will not be used again. Called once per conn, also when {@code opened} never was. */
    void closed(Conn conn, CloseReason why);
}
