package io.rsock.transport.faketcp;

/** What a {@link TcpEndpoint} must send in answer to the last segment ({@link TcpEndpoint#writeReply}). */
enum Reply {
    NONE,
    ACK,
    SYN_ACK,
    /** A bare RST with seq = the offending segment's ack (RFC 9293 reset generation). */
    RST,
    /** FIN-ACK acknowledging the peer's FIN. */
    FIN
}
