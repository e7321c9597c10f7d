package io.rsock.core.frame;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
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
 * <p><b>Key and nonce</b>: the key is the association's for the frame's direction ({@link FrameKey}):
 * one client process with one server process, one direction. Only one sender ever uses it, and that
 * sender's counter only goes up ({@link FrameCounter}), so the 96-bit nonce
 * {@code direction (1 byte) | 0 (5) | counter (6)}, rebuilt from the header, never repeats under it.
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

    private final FrameProtection protection;
    private final Cipher sealer;
    private final Cipher opener;
    private final Cipher stream; // ChaCha20 alone, to decrypt before recomputing the tag
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[FrameCodec.HEADER];
    private final byte[] work = new byte[FrameCodec.MAX_PAYLOAD + 16];
    private final byte[] check = new byte[FrameCodec.MAX_PAYLOAD + 16];

    AeadSeal(FrameProtection protection) {
        this.protection = protection;
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
     * after it) in place under {@code k} and writes the tag after it.
     */
    void seal(ByteBuffer b, int start, int len, SecretKeySpec k) {
        nonce(b, start);
        b.get(start, aad, 0, FrameCodec.HEADER);
        b.get(start + FrameCodec.HEADER, work, 0, len);
        try {
            AlgorithmParameterSpec spec = protection == FrameProtection.AES_GCM ? new GCMParameterSpec(GCM_TAG_BITS, nonce)
                    : new IvParameterSpec(nonce);
            sealer.init(Cipher.ENCRYPT_MODE, k, spec);
            sealer.updateAAD(aad);
            int n = sealer.doFinal(work, 0, len, work, 0);
            if (n < len + FrameCodec.TAG) {
                throw new IllegalStateException("AEAD output " + n);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a frame: " + e, e);
        }
        b.put(start + FrameCodec.HEADER, work, 0, len + FrameCodec.TAG);
    }

    /**
     * Checks the tag of the frame at {@code start} under {@code k} and, if it holds, decrypts its payload
     * in place.
     *
     * @return whether the frame is authentic; if not, nothing was written
     */
    boolean open(ByteBuffer b, int start, int len, SecretKeySpec k) {
        nonce(b, start);
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
    private static void initTwice(Cipher c, int mode, SecretKeySpec k, AlgorithmParameterSpec spec,
            AlgorithmParameterSpec detour) throws GeneralSecurityException {
        try {
            c.init(mode, k, spec);
        } catch (InvalidKeyException e) {
            c.init(mode, k, detour);
            c.init(mode, k, spec);
        }
    }

    private byte[] detour() {
        byte[] other = nonce.clone();
        other[1] ^= 1; // byte 1 is always 0 in a real nonce
        return other;
    }

    /** direction (1 from the server, 0 from a client) | 0 | the header's counter. */
    private void nonce(ByteBuffer b, int start) {
        nonce[0] = (byte) (FrameCodec.fromServer(b, start) ? 1 : 0);
        for (int i = 1; i < 6; i++) {
            nonce[i] = 0;
        }
        b.get(start + 12, nonce, 6, 6);
    }
}
