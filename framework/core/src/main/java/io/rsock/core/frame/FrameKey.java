package io.rsock.core.frame;

import javax.crypto.Mac;

/**
 * The MAC key both ends derive from the shared secret ({@code --hash}). Deriving through HMAC with a
 * fixed label, instead of using the secret's bytes as they are, gives a full-entropy 256-bit key
 * whatever the secret's length and separates it from any other key derived from the same secret
 * later (the {@code --crypt} key).
 */
public final class FrameKey {
    private static final String LABEL = "rsock-java/v1/frame-mac";

    private final byte[] key;

    private FrameKey(byte[] raw) {
        this.key = raw;
    }

    /** Derives the key from the user's secret. */
    public static FrameKey fromSecret(String secret) {
        return new FrameKey(Kdf.derive(LABEL, secret));
    }

    /** A fresh Mac keyed with this key; a Mac is not thread-safe, so each thread gets its own. */
    Mac newMac() {
        return Kdf.hmac(key);
    }

    /** A fresh allocation-free HMAC-SHA256 keyed with this key; not thread-safe either. */
    HmacSha256 newHmac() {
        return new HmacSha256(key);
    }
}
