package io.rsock.api;

/**
 * Tokens that let a server tell, from a handshake's first packet alone, a client that holds the
 * secret from a stranger, before it keeps any state or sends anything: a fake-TCP SYN carries one
 * in its ISN and timestamp, and a SYN without a good one gets what a closed port gives.
 *
 * <p>A token is 64 bits: the high 32 a random nonce, the low 32 a tag the host computes over the
 * nonce, a time window and the server port, with a key it derives from the secret (the transport
 * never sees the secret). Nothing of the client's address or port is covered, so a token survives
 * NAT. The host's server remembers the tokens it accepted while they are fresh, so a token
 * verifies once: a recorded SYN replayed from elsewhere does not.
 *
 * <p>Thread-safe. A transport that has no handshake ignores this. The default a context gives
 * ({@link #open()}) lets every token in: a host without a secret (a test) sees the old behaviour.
 */
public interface HandshakeTokens {

    /** Client: a fresh token for a handshake to {@code serverPort}. */
    long mint(int serverPort);

    /**
     * Server: whether {@code token} was minted for {@code serverPort} within the time window by a
     * holder of the secret, and has not verified before. True at most once per token.
     */
    boolean verify(long token, int serverPort);

    /** The nonce of a token: what goes where a random value is expected (the ISN). */
    static int nonce(long token) {
        return (int) (token >>> 32);
    }

    /** The tag of a token (the SYN's timestamp value). */
    static int tag(long token) {
        return (int) token;
    }

    /** A token of its two halves, as a received SYN carries them. */
    static long of(int nonce, int tag) {
        return ((long) nonce << 32) | (tag & 0xFFFF_FFFFL);
    }

    /** Tokens without a key: random ones, all of which verify. For hosts and tests without a secret. */
    static HandshakeTokens open() {
        return OpenHandshakeTokens.INSTANCE;
    }
}
