package io.rsock.core.frame;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys derived from the user's secret: HMAC-SHA256 keyed with a fixed label per purpose, so every
 * key has full entropy whatever the secret's length, and keys for different purposes (frame MAC,
 * port schedule, encryption) are independent.
 */
public final class Kdf {
    private Kdf() {
    }

    /** The 32-byte key for {@code label} (e.g. {@code "rsock-java/v1/frame-mac"}) from {@code secret}. */
    public static byte[] derive(String label, String secret) {
        Mac kdf = hmac(label.getBytes(StandardCharsets.US_ASCII));
        return kdf.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh HMAC-SHA256 keyed with {@code key}; a Mac is not thread-safe, so each user gets its own. */
    public static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
