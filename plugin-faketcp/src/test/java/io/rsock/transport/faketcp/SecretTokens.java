package io.rsock.transport.faketcp;

import io.rsock.api.HandshakeTokens;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Handshake tokens of a toy keyed scheme, standing in for the host's (which lives in core, out of a
 * plugin's reach): the tag is a mix of the nonce, the port and a secret number; each verifies once.
 */
final class SecretTokens implements HandshakeTokens {
    private final int secret;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();

    SecretTokens(int secret) {
        this.secret = secret;
    }

    @Override
    public long mint(int serverPort) {
        int nonce = ThreadLocalRandom.current().nextInt();
        return HandshakeTokens.of(nonce, tag(nonce, serverPort));
    }

    @Override
    public boolean verify(long token, int serverPort) {
        return HandshakeTokens.tag(token) == tag(HandshakeTokens.nonce(token), serverPort) && seen.add(token);
    }

    private int tag(int nonce, int port) {
        long h = (nonce * 0x9E3779B97F4A7C15L) ^ (port * 0xC2B2AE3D27D4EB4FL) ^ secret;
        h *= 0xFF51AFD7ED558CCDL;
        return (int) (h >>> 32);
    }
}
