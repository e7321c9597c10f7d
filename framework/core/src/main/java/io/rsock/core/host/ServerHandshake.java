package io.rsock.core.host;

import io.rsock.api.Counter;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.Hello;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.stats.Counters;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of HELLO. The server draws a random run nonce R when it starts; a client learns it
 * from the HELLO_ACK and every later frame of the client is keyed by it ({@link FrameKey#associate}), so
 * frames recorded against an earlier run, or against another server with the same secret, authenticate
 * nowhere. HELLO is the only frame that makes the server hold state for a client: one that is fresh and
 * new ({@link HelloGuard}) creates or keeps the client's association, with a replay window that starts
 * above the HELLO's counter (and above what a forgotten run of the same client had numbered,
 * {@link ForgottenClients}). The answer is smaller than the HELLO and carries nothing of the app's. A
 * HELLO does not attach its conn to the client: only a frame under the association does, so a copied
 * HELLO cannot steer replies.
 */
final class ServerHandshake {
    /** A client admitted by HELLO is kept this long without conns or sessions, for its first keyed frames to arrive. */
    static final long ADMITTED_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long run;
    private final FrameKey key;
    private final Map<Integer, ClientState> clients;
    private final int maxClients;
    private final HelloGuard guard;
    private final ForgottenClients forgotten = new ForgottenClients(ForgottenClients.DEFAULT_CAPACITY);
    private final Counter accepted;
    private final Counter malformed;
    private final Counter stale;
    private final Counter replayed;
    private final Counter full;
    private final Counter rejected;

    ServerHandshake(FrameKey key, Map<Integer, ClientState> clients, int maxClients, HelloGuard guard, Counters counters) {
        this.run = FrameKey.newRunNonce();
        this.key = key;
        this.clients = clients;
        this.maxClients = maxClients;
        this.guard = guard;
        this.accepted = counters.get("hello.accepted");
        this.malformed = counters.get("hello.malformed");
        this.stale = counters.get("hello.stale");
        this.replayed = counters.get("hello.replayed");
        this.full = counters.get("hello.refused_full");
        this.rejected = counters.get("client.rejected");
    }

    /** This server run's nonce R. */
    long run() {
        return run;
    }

    /**
     * The client a HELLO admits, its association made, or kept when the same client run says HELLO again;
     * null when the HELLO is refused (counted by reason, never answered).
     */
    ClientState admit(ReceivedFrame f, ByteBuffer buf, long nowNanos) {
        int off = f.payloadOffset();
        if (f.payloadLength() < Hello.SIZE) {
            malformed.increment();
            return null;
        }
        switch (guard.check(Hello.wallMillis(buf, off), Hello.nonce(buf, off))) {
            case STALE -> {
                stale.increment();
                return null;
            }
            case REPLAYED -> {
                replayed.increment();
                return null;
            }
            case FULL -> {
                full.increment();
                return null;
            }
            default -> {
            }
        }
        ClientState c = clients.get(f.clientId());
        if (c == null) {
            if (clients.size() >= maxClients) {
                rejected.increment();
                return null;
            }
            c = clients.computeIfAbsent(f.clientId(), id -> new ClientState(id, nowNanos));
        }
        long clientRun = Hello.clientRun(buf, off);
        synchronized (c) {
            Association a = c.association;
            if (a == null || a.clientRun() != clientRun) {
                long floor = Math.max(f.counter(), forgotten.highest(f.clientId(), clientRun));
                c.association = key.associate(f.clientId(), clientRun, run, floor);
            }
            c.admittedNanos = nowNanos;
        }
        accepted.increment();
        return c;
    }

    /** The HELLO_ACK payload that answers the HELLO {@code f}: its nonce and R. */
    ByteBuffer answer(ReceivedFrame f, ByteBuffer buf) {
        return Hello.writeAck(ByteBuffer.allocate(Hello.ACK_SIZE), Hello.nonce(buf, f.payloadOffset()), run);
    }

    /** The server lets go of {@code c} (no conn, no session): what its run numbered stays a replay. */
    void forget(ClientState c) {
        Association a = c.association;
        if (a != null) {
            forgotten.remember(c.clientId, a.clientRun(), a.replay().highest());
        }
    }
}
