package io.rsock.core.frame;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys derived from the user's secret with HKDF-SHA256 (RFC 5869): one extraction of the secret,
 * then an expansion per purpose with its own label, so every key has full entropy whatever the
 * secret's length and keys for different purposes (frame MAC, encryption, port schedule) are
 * independent.
 */
public final class Kdf {
    private static final byte[] SALT = "rsock-java/v1/kdf".getBytes(StandardCharsets.US_ASCII);

    private Kdf() {
    }

    /** The 32-byte key for {@code label} (e.g. {@code "rsock-java/v1/random-ports"}) from {@code secret}. */
    public static byte[] derive(String label, String secret) {
        return expand(extract(SALT, secret), label.getBytes(StandardCharsets.US_ASCII));
    }

    /** HKDF-Extract: the pseudo-random key of {@code secret} under {@code salt}. */
    public static byte[] extract(byte[] salt, String secret) {
        return hmac(salt).doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** HKDF-Expand to one 32-byte block: HMAC(prk, info || 0x01). */
    public static byte[] expand(byte[] prk, byte[] info) {
        byte[] in = new byte[info.length + 1];
        System.arraycopy(info, 0, in, 0, info.length);
        in[info.length] = 1;
        return hmac(prk).doFinal(in);
    }

    /** SHA-256 of {@code data}. */
    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
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
