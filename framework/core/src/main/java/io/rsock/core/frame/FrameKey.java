package io.rsock.core.frame;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys both ends derive from the shared secret ({@code --hash}), and how frames are protected
 * ({@code --crypt}). Immutable and thread-safe; each thread's {@link FrameCodec} takes what it needs.
 *
 * <p>Every key comes out of HKDF with HMAC-SHA256 (RFC 5869): extract with a fixed salt, then expand
 * with a label per purpose, so that whatever the secret's length each key has full entropy and no
 * two purposes share a key:
 * <ul>
 * <li>{@code rsock-java/v1/frame-mac}: the HMAC-SHA256 key of {@code --crypt none};
 * <li>{@code rsock-java/v1/<alg>/c2s}: the AEAD key of every client's frames to the server;
 * <li>{@code rsock-java/v1/<alg>/s2c} + the client id: the AEAD key of the server's frames to that
 *     client, so that a frame meant for one client never opens at another.
 * </ul>
 *
 * <p>With AEAD, the end matters (the nonce carries the direction and the sender's id; see
 * {@link FrameCodec}): a client's key knows its client id ({@link #forClient}), a server's key its
 * random run id ({@link #forServer}).
 */
public final class FrameKey {
    private static final byte[] SALT = "rsock-java/v1/kdf".getBytes(StandardCharsets.US_ASCII);
    private static final String MAC_LABEL = "rsock-java/v1/frame-mac";

    private final byte[] prk;
    private final byte[] macKey;
    private final FrameProtection protection;
    /** Whether the codec sends from the server (s2c) or from a client (c2s). */
    private final boolean server;
    /** Client: its client id. Server: its run id, written where a client's frame carries the client id. */
    private final int selfId;
    private final SecretKeySpec c2sKey;
    /** Client: the key of the server's frames to it; server: null (one per client, {@link #s2cKey}). */
    private final SecretKeySpec ownS2cKey;

    private FrameKey(byte[] prk, FrameProtection protection, boolean server, int selfId) {
        this.prk = prk;
        this.macKey = Kdf.expand(prk, label(MAC_LABEL));
        this.protection = protection;
        this.server = server;
        this.selfId = selfId;
        if (protection == FrameProtection.NONE) {
            this.c2sKey = null;
            this.ownS2cKey = null;
        } else {
            this.c2sKey = new SecretKeySpec(expand(prk, label("rsock-java/v1/" + protection.flag() + "/c2s")), algorithm());
            this.ownS2cKey = server ? null : s2cKey(selfId);
        }
    }

    /** Derives the HMAC key from the user's secret ({@code --crypt none}). */
    public static FrameKey fromSecret(String secret) {
        return new FrameKey(extract(secret), FrameProtection.NONE, false, 0);
    }

    /** A client's keys: frames it sends carry {@code clientId}; with AEAD, those it receives are keyed to it. */
    public static FrameKey forClient(String secret, FrameProtection protection, int clientId) {
        return new FrameKey(extract(secret), protection, false, clientId);
    }

    /** A server's keys; with AEAD, {@code runId} (random per run) names the server in its frames' nonces. */
    public static FrameKey forServer(String secret, FrameProtection protection, int runId) {
        return new FrameKey(extract(secret), protection, true, runId);
    }

    public FrameProtection protection() {
        return protection;
    }

    boolean isServer() {
        return server;
    }

    int selfId() {
        return selfId;
    }

    SecretKeySpec c2sKey() {
        return c2sKey;
    }

    SecretKeySpec ownS2cKey() {
        return ownS2cKey;
    }

    /** The key of the server's frames to {@code clientId}. */
    SecretKeySpec s2cKey(int clientId) {
        byte[] info = label("rsock-java/v1/" + protection.flag() + "/s2c");
        byte[] withId = ByteBuffer.allocate(info.length + 4).put(info).putInt(clientId).array();
        return new SecretKeySpec(expand(prk, withId), algorithm());
    }

    private String algorithm() {
        return protection == FrameProtection.AES_GCM ? "AES" : "ChaCha20";
    }

    /** A fresh Mac keyed with the MAC key; a Mac is not thread-safe, so each thread gets its own. */
    Mac newMac() {
        return Kdf.hmac(macKey);
    }

    /** A fresh allocation-free HMAC-SHA256 keyed with the MAC key; not thread-safe either. */
    HmacSha256 newHmac() {
        return new HmacSha256(macKey);
    }

    private static byte[] extract(String secret) {
        return Kdf.extract(SALT, secret);
    }

    static byte[] expand(byte[] prk, byte[] info) {
        return Kdf.expand(prk, info);
    }

    private static byte[] label(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
