package io.rsock.core.frame;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code --crypt aes-gcm|chacha20-poly1305}: encrypts a frame's payload in place and authenticates it
 * with its header as associated data; the AEAD tag, cut to {@value FrameCodec#TAG} bytes, takes the
 * place of the HMAC tag, so the overhead stays {@value FrameCodec#OVERHEAD} bytes.
 *
 * <p><b>Nonce</b> (96 bits): {@code direction (1 byte) | 0 | sender id (4) | counter (6)}. A client's
 * frames carry its client id as sender id; the server's frames carry, in the same header field, the
 * server's run id (random per run; the client id is implied by the key, see {@link FrameKey}). A
 * nonce repeats under one key only if the same sender reuses a counter, which it never does (one
 * counter per process, incremented per frame, starting above the last run's: {@link FrameCounter}), or
 * if two senders with the same 32-bit id, under the same secret, reach the same 48-bit counter: two
 * client runs (or two servers serving one client) drawing the same random id, a 2^-32 chance per pair,
 * and then also overlapping counters. The direction byte keeps the two directions apart.
 *
 * <p><b>Tag</b>: AES-GCM takes a 112-bit tag natively. The JDK's ChaCha20-Poly1305 only checks the full
 * 128-bit tag, so a receiver decrypts with the bare ChaCha20 stream (block counter 1, as RFC 8439 does)
 * and recomputes the tag by encrypting the plaintext again, then compares 14 bytes in constant time;
 * nothing of the plaintext is used before that. A 112-bit tag bounds a forgery at 2^-112 per try.
 *
 * <p>Not thread-safe; each {@link FrameCodec} owns one. Unlike the HMAC path it allocates a little per
 * frame (the JDK's cipher API takes a new parameter object per nonce).
 */
final class AeadSeal {
    private static final int GCM_TAG_BITS = FrameCodec.TAG * 8;

    private final FrameKey key;
    private final FrameProtection protection;
    private final Cipher sealer;
    private final Cipher opener;
    private final Cipher stream; // ChaCha20 alone, to decrypt before recomputing the tag
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[FrameCodec.HEADER];
    private final byte[] work = new byte[FrameCodec.MAX_PAYLOAD + 16];
    private final byte[] check = new byte[FrameCodec.MAX_PAYLOAD + 16];
    private final Map<Integer, SecretKeySpec> s2cKeys = new HashMap<>();

    AeadSeal(FrameKey key) {
        this.key = key;
        this.protection = key.protection();
        try {
            if (protection == FrameProtection.AES_GCM) {
                sealer = Cipher.getInstance("AES/GCM/NoPadding");
                opener = Cipher.getInstance("AES/GCM/NoPadding");
                stream = null;
            } else {
                sealer = Cipher.getInstance("ChaCha20-Poly1305");
                opener = Cipher.getInstance("ChaCha20-Poly1305");
                stream = Cipher.getInstance("ChaCha20");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(protection.flag() + " is missing from this JDK", e);
        }
    }

    /**
     * Encrypts the payload of the frame at {@code start} (header written, {@code len} bytes of payload
     * after it) in place and writes the tag after it.
     *
     * @param clientId the client the frame goes to (server) or comes from (client)
     */
    void seal(ByteBuffer b, int start, int len, int clientId) {
        boolean server = key.isServer();
        SecretKeySpec k = server ? s2cKey(clientId) : key.c2sKey();
        nonce(b, start, server ? 1 : 0);
        b.get(start, aad, 0, FrameCodec.HEADER);
        b.get(start + FrameCodec.HEADER, work, 0, len);
        try {
            int n;
            if (protection == FrameProtection.AES_GCM) {
                sealer.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(GCM_TAG_BITS, nonce));
                sealer.updateAAD(aad);
                n = sealer.doFinal(work, 0, len, work, 0);
            } else {
                sealer.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce));
                sealer.updateAAD(aad);
                n = sealer.doFinal(work, 0, len, work, 0);
            }
            if (n < len + FrameCodec.TAG) {
                throw new IllegalStateException("AEAD output " + n);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a frame: " + e, e);
        }
        b.put(start + FrameCodec.HEADER, work, 0, len + FrameCodec.TAG);
    }

    /**
     * Checks the tag of the frame at {@code start} and, if it holds, decrypts its payload in place.
     *
     * @return whether the frame is authentic; if not, nothing was written
     */
    boolean open(ByteBuffer b, int start, int len) {
        boolean server = key.isServer();
        SecretKeySpec k = server ? key.c2sKey() : key.ownS2cKey();
        nonce(b, start, server ? 0 : 1);
        b.get(start, aad, 0, FrameCodec.HEADER);
        b.get(start + FrameCodec.HEADER, work, 0, len + FrameCodec.TAG);
        try {
            if (protection == FrameProtection.AES_GCM) {
                opener.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(GCM_TAG_BITS, nonce));
                opener.updateAAD(aad);
                opener.doFinal(work, 0, len + FrameCodec.TAG, check, 0);
            } else {
                initTwice(stream, Cipher.DECRYPT_MODE, k, new ChaCha20ParameterSpec(nonce, 1),
                        new ChaCha20ParameterSpec(detour(), 1));
                stream.doFinal(work, 0, len, check, 0);
                initTwice(opener, Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce), new IvParameterSpec(detour()));
                opener.updateAAD(aad);
                opener.doFinal(check, 0, len, work, 0); // work: ciphertext again, then the full tag
                int tagAt = start + FrameCodec.HEADER + len;
                int diff = 0;
                for (int i = 0; i < FrameCodec.TAG; i++) { // constant time: no early exit
                    diff |= work[len + i] ^ b.get(tagAt + i);
                }
                if (diff != 0) {
                    return false;
                }
            }
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false; // a nonce the JDK refuses to see twice, and the like: not authentic for us
        }
        b.put(start + FrameCodec.HEADER, check, 0, len);
        return true;
    }

    /**
     * The JDK refuses to init ChaCha20 twice in a row with one key and nonce (a guard for senders); the
     * check of a duplicated frame (which the replay window, not the seal, must drop and count) would
     * trip it, so a refused init goes through a throwaway nonce first. Decrypting, or encrypting the same
     * plaintext, again under the same nonce reveals nothing.
     */
    private static void initTwice(Cipher c, int mode, SecretKeySpec k, java.security.spec.AlgorithmParameterSpec spec,
            java.security.spec.AlgorithmParameterSpec detour) throws GeneralSecurityException {
        try {
            c.init(mode, k, spec);
        } catch (java.security.InvalidKeyException e) {
            c.init(mode, k, detour);
            c.init(mode, k, spec);
        }
    }

    private byte[] detour() {
        byte[] other = nonce.clone();
        other[1] ^= 1; // byte 1 is always 0 in a real nonce
        return other;
    }

    /** direction | 0 | the header's id field | the header's counter. */
    private void nonce(ByteBuffer b, int start, int direction) {
        nonce[0] = (byte) direction;
        nonce[1] = 0;
        b.get(start + 4, nonce, 2, 4);
        b.get(start + 12, nonce, 6, 6);
    }

    private SecretKeySpec s2cKey(int clientId) {
        SecretKeySpec k = s2cKeys.get(clientId);
        if (k == null) {
            if (s2cKeys.size() >= 4096) {
                s2cKeys.clear(); // bounded: rebuilt on demand, one HKDF each
            }
            k = key.s2cKey(clientId);
            s2cKeys.put(clientId, k);
        }
        return k;
    }
}
