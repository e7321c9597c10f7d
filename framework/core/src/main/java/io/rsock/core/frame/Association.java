package io.rsock.core.frame;

import javax.crypto.spec.SecretKeySpec;

/**
 * One client run with one server run, as both learn it from HELLO and HELLO_ACK: the keys of every
 * other frame between them, one per direction, and the replay window of the frames this end
 * receives. The keys come from the secret and both run nonces ({@link FrameKey#associate}), so a frame
 * recorded in one association authenticates in no other: not after the server restarted, not at a
 * second server with the same secret, not at a client run that drew the same client id.
 *
 * <p>Immutable but for the window, which is thread-safe; shared by every thread of the end.
 */
public final class Association {
    private final int clientId;
    private final long clientRun;
    private final long serverRun;
    /** {@code --crypt none}: the HMAC keys; null under AEAD. */
    final MacKey c2sMac;
    final MacKey s2cMac;
    /** {@code --crypt aes-gcm|chacha20-poly1305}: the AEAD keys; null with none. */
    final SecretKeySpec c2sAead;
    final SecretKeySpec s2cAead;
    private final ReplayWindow replay;

    Association(int clientId, long clientRun, long serverRun, MacKey c2sMac, MacKey s2cMac, SecretKeySpec c2sAead,
            SecretKeySpec s2cAead, ReplayWindow replay) {
        this.clientId = clientId;
        this.clientRun = clientRun;
        this.serverRun = serverRun;
        this.c2sMac = c2sMac;
        this.s2cMac = s2cMac;
        this.c2sAead = c2sAead;
        this.s2cAead = s2cAead;
        this.replay = replay;
    }

    public int clientId() {
        return clientId;
    }

    /** The client run's nonce (random per client process). */
    public long clientRun() {
        return clientRun;
    }

    /** The server run's nonce R (random per server process). */
    public long serverRun() {
        return serverRun;
    }

    /** The anti-replay window of the frames this end receives in the association. */
    public ReplayWindow replay() {
        return replay;
    }
}
