package io.rsock.core.frame;

import io.rsock.core.config.FrameProtection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys an end derives from the shared secret ({@code --hash}), how frames are protected
 * ({@code --crypt}), and which end this is (its frames go client to server, or server to client).
 * Immutable and thread-safe.
 *
 * <p>Every key comes out of HKDF with HMAC-SHA256 (RFC 5869): one extraction of the secret under a
 * fixed salt, then an expansion per purpose with its own label, so that whatever the secret's length
 * each key has full entropy and no two purposes, and no two directions, share a key:
 * <ul>
 * <li>{@code rsock-java/v2/hello/<mode>/c2s} and {@code .../s2c}: the HMAC-SHA256 keys of HELLO and
 *     HELLO_ACK, in every {@code --crypt} mode (a HELLO is sent before the client knows the server's
 *     run, so these keys cannot depend on it); {@code <mode>} as below;
 * <li>{@code rsock-java/v2/<mode>/c2s} and {@code .../s2c}, each followed by the client id (4 bytes),
 *     the client's run nonce and the server's run nonce R (8 bytes each): the keys of every other frame
 *     of one {@link Association}; {@code <mode>} is {@code hmac-sha256} with {@code --crypt none}
 *     (HMAC keys), else the AEAD's name (AEAD keys).
 * </ul>
 * R is never sent under a frame's tag; it binds every frame to the server run that told it, so a frame
 * recorded against one run authenticates at no other run and no other server with the same secret. Under
 * AEAD the per-association key also means no (key, nonce) pair ever repeats: a key belongs to one
 * client process and one server process, and within a process the counter only goes up.
 */
public final class FrameKey {
    private static final byte[] SALT = ascii("rsock-java/v2/kdf");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] prk;
    private final FrameProtection protection;
    private final boolean server;
    private final MacKey helloC2s;
    private final MacKey helloS2c;

    private FrameKey(String secret, FrameProtection protection, boolean server) {
        this.prk = Kdf.extract(SALT, secret);
        this.protection = protection;
        this.server = server;
        // The mode is in the label: ends that disagree on --crypt fail at the HELLO, before any state.
        this.helloC2s = new MacKey(Kdf.expand(prk, ascii("rsock-java/v2/hello/" + mode(protection) + "/c2s")));
        this.helloS2c = new MacKey(Kdf.expand(prk, ascii("rsock-java/v2/hello/" + mode(protection) + "/s2c")));
    }

    /** A run nonce (a client's or a server's): random, never 0, drawn once per process. */
    public static long newRunNonce() {
        long r;
        do {
            r = RANDOM.nextLong();
        } while (r == 0);
        return r;
    }

    /** A client's keys: it sends client-to-server frames and receives server-to-client ones. */
    public static FrameKey forClient(String secret, FrameProtection protection) {
        return new FrameKey(secret, protection, false);
    }

    /** A server's keys: it sends server-to-client frames and receives client-to-server ones. */
    public static FrameKey forServer(String secret, FrameProtection protection) {
        return new FrameKey(secret, protection, true);
    }

    public FrameProtection protection() {
        return protection;
    }

    /** Whether this end is the server (sends server-to-client frames). */
    public boolean isServer() {
        return server;
    }

    /** The HMAC key of the handshake frames this end sends. */
    MacKey helloOut() {
        return server ? helloS2c : helloC2s;
    }

    /** The HMAC key of the handshake frames this end receives. */
    MacKey helloIn() {
        return server ? helloC2s : helloS2c;
    }

    /**
     * The keys of client {@code clientId}'s run {@code clientRun} with server run {@code serverRun} (a few
     * HKDF expansions: once per HELLO_ACK, not per frame), and a replay window that refuses every counter
     * up to {@code floor} (none when negative).
     */
    public Association associate(int clientId, long clientRun, long serverRun, long floor) {
        ReplayWindow window = floor < 0 ? new ReplayWindow() : ReplayWindow.above(floor);
        String mode = mode(protection);
        byte[] c2s = expand(mode + "/c2s", clientId, clientRun, serverRun);
        byte[] s2c = expand(mode + "/s2c", clientId, clientRun, serverRun);
        if (protection == FrameProtection.NONE) {
            return new Association(clientId, clientRun, serverRun, new MacKey(c2s), new MacKey(s2c), null, null, window);
        }
        String alg = protection == FrameProtection.AES_GCM ? "AES" : "ChaCha20";
        return new Association(clientId, clientRun, serverRun, null, null, new SecretKeySpec(c2s, alg),
                new SecretKeySpec(s2c, alg), window);
    }

    /** The mode's name in key labels: {@code hmac-sha256} for {@code --crypt none}, else the AEAD's flag. */
    private static String mode(FrameProtection protection) {
        return protection == FrameProtection.NONE ? "hmac-sha256" : protection.flag();
    }

    private byte[] expand(String purpose, int clientId, long clientRun, long serverRun) {
        byte[] label = ascii("rsock-java/v2/" + purpose);
        byte[] info = ByteBuffer.allocate(label.length + 20).put(label).putInt(clientId).putLong(clientRun)
                .putLong(serverRun).array();
        return Kdf.expand(prk, info);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
