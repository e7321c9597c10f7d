package io.rsock.core.frame;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC key both ends derive from the shared secret ({@code --hash}). Deriving through HMAC with a
 * fixed label, instead of using the secret's bytes as they are, gives a full-entropy 256-bit key
 * whatever the secret's length and separates it from any other key derived from the same secret
 * later (the {@code --crypt} key).
 */
public final class FrameKey {
    private static final String LABEL = "rsock-java/v1/frame-mac";

    private final SecretKeySpec key;

    private FrameKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "HmacSHA256");
    }

    /** Derives the key from the user's secret. */
    public static FrameKey fromSecret(String secret) {
        try {
            Mac kdf = Mac.getInstance("HmacSHA256");
            kdf.init(new SecretKeySpec(LABEL.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return new FrameKey(kdf.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** A fresh Mac keyed with this key; a Mac is not thread-safe, so each thread gets its own. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
