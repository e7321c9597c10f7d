package io.rsock.api;

/** Why a conn closed. The host redials every reason but {@link #LOCAL} and {@link #SHUTDOWN}. */
public enum CloseReason {
    /** {@link Conn#close()} was called. */
    LOCAL,
    /** The transport or host is shutting down. */
    SHUTDOWN,
    /** The peer reset the conn (TCP RST, ICMP unreachable...). */
    RESET,
    /** The peer closed the conn in an orderly way (TCP FIN). */
    FINISHED,
    /** Nothing came back in time (handshake or heartbeat timeout). */
    TIMEOUT,
    /** A local I/O error. */
    ERROR
}
