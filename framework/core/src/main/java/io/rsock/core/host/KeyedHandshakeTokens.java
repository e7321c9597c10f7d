package io.rsock.core.host;

import io.rsock.api.Counter;
import io.rsock.api.HandshakeTokens;
import io.rsock.core.frame.Kdf;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The host's {@link HandshakeTokens}: a token is a random 32-bit nonce and a 32-bit tag,
 * HMAC-SHA256 under a key derived from the secret ({@value #LABEL}) over the wall clock's
 * {@value #EPOCH_MILLIS}-ms epoch, the server port and the nonce, cut to 4 bytes. The server takes
 * a token of the current epoch or either neighbour (clocks within 30 s of each other, plus the
 * epoch's own length), so a forgery is a 3-in-2^32 guess (30 bits), and a token lives at most three
 * epochs (about 3 minutes). Nothing of the client's address or port is covered: NAT rewrites those.
 *
 * <p>Accepted tokens are remembered until they expire, so each verifies once: a recorded SYN
 * replayed from another address (or from the same one once its conn is gone) does not. The memory
 * is bounded ({@value #SEEN_LIMIT}); when full, new tokens are refused and counted, never answered:
 * only tokens minted with the secret get in, so filling it takes that many real handshakes within
 * three minutes.
 */
public final class KeyedHandshakeTokens implements HandshakeTokens {
    public static final String LABEL = "rsock-java/v2/syn-token";
    static final long EPOCH_MILLIS = 64_000;
    static final int SEEN_LIMIT = 65_536;

    private final byte[] key;
    private final LongSupplier wallClock;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Scratch> scratch;
    private final Counter replayed;
    private final Counter full;
    /** Accepted tokens and their epochs, oldest first. */
    private final LinkedHashMap<Long, Long> seen = new LinkedHashMap<>(); // guarded by itself

    /**
     * @param wallClock milliseconds since the epoch ({@code System::currentTimeMillis})
     * @param replayed counts tokens that verified before
     * @param full counts good tokens refused because the memory of accepted ones is full
     */
    public KeyedHandshakeTokens(String secret, LongSupplier wallClock, Counter replayed, Counter full) {
        this.key = Kdf.derive(LABEL, secret);
        this.wallClock = wallClock;
        this.replayed = replayed;
        this.full = full;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(Kdf.hmac(key)));
    }

    @Override
    public long mint(int serverPort) {
        int nonce = random.nextInt();
        return HandshakeTokens.of(nonce, tag(epoch(), serverPort, nonce));
    }

    @Override
    public boolean verify(long token, int serverPort) {
        long now = epoch();
        int nonce = HandshakeTokens.nonce(token);
        int tag = HandshakeTokens.tag(token);
        long matched = Long.MIN_VALUE;
        for (long e = now - 1; e <= now + 1; e++) {
            if (tag(e, serverPort, nonce) == tag) {
                matched = e;
            }
        }
        if (matched == Long.MIN_VALUE) {
            return false;
        }
        synchronized (seen) {
            Iterator<Map.Entry<Long, Long>> it = seen.entrySet().iterator();
            while (it.hasNext() && it.next().getValue() < now - 1) {
                it.remove();
            }
            if (seen.containsKey(token)) {
                replayed.increment();
                return false;
            }
            if (seen.size() >= SEEN_LIMIT) {
                full.increment();
                return false;
            }
            seen.put(token, matched);
        }
        return true;
    }

    private long epoch() {
        return Math.floorDiv(wallClock.getAsLong(), EPOCH_MILLIS);
    }

    private int tag(long epoch, int port, int nonce) {
        Scratch s = scratch.get();
        byte[] in = s.input;
        for (int i = 0; i < 8; i++) {
            in[i] = (byte) (epoch >>> (56 - 8 * i));
        }
        in[8] = (byte) (port >>> 8);
        in[9] = (byte) port;
        in[10] = (byte) (nonce >>> 24);
        in[11] = (byte) (nonce >>> 16);
        in[12] = (byte) (nonce >>> 8);
        in[13] = (byte) nonce;
        try {
            s.mac.update(in);
            s.mac.doFinal(s.output, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        byte[] o = s.output;
        return (o[0] & 0xFF) << 24 | (o[1] & 0xFF) << 16 | (o[2] & 0xFF) << 8 | (o[3] & 0xFF);
    }

    /** Per-thread MAC and buffers: no allocation per token. */
    private static final class Scratch {
        final Mac mac;
        final byte[] input = new byte[14];
        final byte[] output = new byte[32];

        Scratch(Mac mac) {
            this.mac = mac;
        }
    }
}
