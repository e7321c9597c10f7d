package io.rsock.transport.faketcp;

/** How a closing {@link FakeTcpConn} takes leave of its peer ({@link FakeTcpConn#finish}). */
enum Bye {
    /** Nothing: the peer already closed, or the process is going down. */
    NONE,
    FIN,
    RST
}
