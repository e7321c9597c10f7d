package io.rsock.transport.faketcp;

/** What a received segment did to a {@link TcpEndpoint} ({@link TcpEndpoint#onSegment}). */
enum Segment {
    /** Accepted; nothing for the host (a pure ACK, a keepalive, a duplicate). */
    NONE,
    /** Accepted with payload at {@link TcpEndpoint#payloadOffset()}, {@link TcpEndpoint#payloadLength()} bytes. */
    DATA,
    /** Client: the SYN-ACK arrived, the conn is established; an ACK must go out ({@link TcpEndpoint#reply()}). */
    CONNECTED,
    /** The peer reset the conn; the endpoint is closed. */
    RESET,
    /** The peer sent FIN (maybe with payload, reported too); the endpoint is closed and a FIN-ACK must go out. */
    FIN,
    /** Server: the handshake's last ACK arrived, without data. */
    ESTABLISHED,
    /** Dropped: flags that make no sense in this state. */
    BAD_FLAGS,
    /** Dropped: sequence number outside the receive window. */
    OUT_OF_WINDOW,
    /** Dropped: acknowledges what was never sent, or what is far behind (RFC 5961 5.2); a challenge ACK may go out. */
    BAD_ACK,
    /**
     * Dropped: an RST or FIN in the window but not at exactly {@code rcv.nxt}, or a SYN on an open conn
     * (RFC 5961 3 and 4); a challenge ACK may go out, and a peer that really closed answers it with an
     * RST at exactly the acknowledged sequence number.
     */
    CHALLENGED
}
