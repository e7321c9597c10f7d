package io.rsock.core.host;

import io.rsock.core.frame.Association;
import io.rsock.core.frame.AssociationLookup;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.Hello;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.pool.PoolSlot;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of HELLO: one association per server ({@link Association}), learnt from the
 * HELLO_ACK that answers one of its recent HELLOs. The client says HELLO on every new conn, and again
 * on a conn whose heartbeats go unanswered: the server may have restarted (a new run: new keys) or let
 * go of the client (same run: the same keys again, a new replay floor), and in both cases it drops the
 * client's frames without a word. A HELLO_ACK that echoes no HELLO of ours is ignored, so a copy of an
 * old one cannot move the client to a dead run.
 *
 * <p>Thread-safe: HELLOs go out on the timer and transport threads, answers come on transport threads.
 */
final class ClientHandshake {
    private static final Logger log = LoggerFactory.getLogger(ClientHandshake.class);
    /** HELLOs per server whose answer is still awaited: enough for every conn of a pool dialling at once. */
    static final int PENDING = 256;

    private final int clientId;
    private final long run;
    private final FrameKey key;
    private final LongSupplier wallMillis;
    private final SecureRandom random = new SecureRandom();
    private final Map<InetAddress, ServerLink> links = new ConcurrentHashMap<>();
    /** When each slot last said HELLO: a silent conn says it again at most once per heartbeat spacing. */
    private final Map<PoolSlot, Long> lastHello = new ConcurrentHashMap<>();
    /** Finds the association of the server a frame came from; frames for another client id find none. */
    final AssociationLookup<PoolSlot> lookup = this::find;

    /** One server as this client knows it. */
    private static final class ServerLink {
        volatile Association current;
        final long[] pending = new long[PENDING];
        int next;
    }

    ClientHandshake(int clientId, FrameKey key, List<InetAddress> servers, LongSupplier wallMillis) {
        this.clientId = clientId;
        this.key = key;
        this.wallMillis = wallMillis;
        this.run = FrameKey.newRunNonce();
        for (InetAddress s : servers) {
            links.put(s, new ServerLink());
        }
    }

    /** The association with {@code server}, or null before its first HELLO_ACK. */
    Association of(InetAddress server) {
        ServerLink l = links.get(server);
        return l == null ? null : l.current;
    }

    private Association find(PoolSlot slot, int id) {
        return id == clientId ? of(slot.server().getAddress()) : null;
    }

    /** A HELLO payload for a conn to {@code slot}'s server, its nonce awaited; {@code nowNanos} is when it goes. */
    ByteBuffer hello(PoolSlot slot, long nowNanos) {
        ServerLink l = links.get(slot.server().getAddress());
        long nonce = random.nextLong();
        synchronized (l) {
            l.pending[l.next] = nonce;
            l.next = (l.next + 1) % PENDING;
        }
        lastHello.put(slot, nowNanos);
        return Hello.write(ByteBuffer.allocate(Hello.SIZE), wallMillis.getAsLong(), nonce, run);
    }

    /**
     * Whether {@code slot}'s conn should say HELLO now: nothing has come back on it for a heartbeat
     * spacing and a half (plus twice the RTT) since its last answer and its last HELLO, or, before the
     * server's run is known, since its last HELLO. A conn that answers says HELLO once, when it opens.
     */
    boolean helloDue(PoolSlot slot, long nowNanos, long spacingNanos) {
        Long last = lastHello.get(slot);
        long sinceHello = last == null ? Long.MAX_VALUE : nowNanos - last;
        long patience = spacingNanos + spacingNanos / 2 + 2 * Math.max(0, slot.health().srttNanos());
        if (of(slot.server().getAddress()) == null) {
            return sinceHello > patience;
        }
        return Math.min(sinceHello, nowNanos - slot.health().lastAnswerNanos()) > patience;
    }

    /** Forgets the slots that left the pool. */
    void retain(List<PoolSlot> slots) {
        lastHello.keySet().retainAll(slots);
    }

    /**
     * A HELLO_ACK came from {@code slot}'s server. Returns true when it answered one of our HELLOs: the
     * association is known now (made afresh when the run is new: first answer, or the server restarted).
     */
    boolean acked(PoolSlot slot, ReceivedFrame f, ByteBuffer buf) {
        InetAddress server = slot.server().getAddress();
        ServerLink l = links.get(server);
        if (l == null || f.payloadLength() < Hello.ACK_SIZE) {
            return false;
        }
        long nonce = Hello.ackedNonce(buf, f.payloadOffset());
        long serverRun = Hello.serverRun(buf, f.payloadOffset());
        boolean fresh = false;
        Association was;
        synchronized (l) {
            for (int i = 0; i < PENDING && !fresh; i++) {
                if (l.pending[i] == nonce && nonce != 0) {
                    l.pending[i] = 0; // once
                    fresh = true;
                }
            }
            if (!fresh) {
                return false;
            }
            was = l.current;
            if (was != null && was.serverRun() == serverRun) {
                return true;
            }
            l.current = key.associate(clientId, run, serverRun, -1);
        }
        if (was == null) {
            log.debug("server {}: run {}", server.getHostAddress(), Long.toUnsignedString(serverRun, 16));
        } else {
            log.info("server {} restarted (a new run): frames keyed to it afresh", server.getHostAddress());
        }
        return true;
    }
}
