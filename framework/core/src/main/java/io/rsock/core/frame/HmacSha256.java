package io.rsock.core.frame;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) that allocates nothing per message. {@code javax.crypto.Mac.doFinal(byte[], int)}
 * allocates the digest it then copies (and the JDK's HMAC allocates the inner hash too), per frame
 * built or checked. Here both hashes go into arrays owned by the instance, and the key
 * comes with each message ({@link MacKey}), so one instance serves every association a thread sees.
 *
 * <p>Not thread-safe; one per codec.
 */
final class HmacSha256 {
    static final int LENGTH = 32;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerHash = new byte[LENGTH];

    HmacSha256() {
        try {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The MAC under {@code key} of {@code b}'s bytes from its position to its limit (the position moves
     * to the limit), into {@code out[0..32)}.
     */
    void mac(MacKey key, ByteBuffer b, byte[] out) {
        try {
            inner.update(key.ipad);
            inner.update(b);
            inner.digest(innerHash, 0, LENGTH);
            outer.update(key.opad);
            outer.update(innerHash);
            outer.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
