package io.rsock.core.frame;

/**
 * An HMAC-SHA256 key as the hash uses it: XORed with the inner and the outer pad (RFC 2104), worked
 * out once. Immutable, so one instance serves every thread; each thread's {@link HmacSha256} brings
 * the hash state.
 */
final class MacKey {
    static final int BLOCK = 64;

    final byte[] ipad = new byte[BLOCK];
    final byte[] opad = new byte[BLOCK];

    MacKey(byte[] key) {
        byte[] k = key.length > BLOCK ? Kdf.sha256(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }
}
