package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.HandshakeTokens;
import io.rsock.core.stats.Counters;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyedHandshakeTokensTest {
    private final AtomicLong clientClock = new AtomicLong(1_800_000_000_000L);
    private final AtomicLong serverClock = new AtomicLong(1_800_000_000_000L);
    private final Counters counters = new Counters();

    private KeyedHandshakeTokens tokens(String secret, AtomicLong clock) {
        return new KeyedHandshakeTokens(secret, clock::get, counters.get("handshake.replayed"),
                counters.get("handshake.memory_full"));
    }

    @Test
    void aTokenVerifiesOnceAtTheServerItWasMintedFor() {
        KeyedHandshakeTokens client = tokens("s3cret-s3cret-s3cret", clientClock);
        KeyedHandshakeTokens server = tokens("s3cret-s3cret-s3cret", serverClock);
        long t = client.mint(10001);
        assertTrue(server.verify(t, 10001));
        assertFalse(server.verify(t, 10001), "a replay");
        assertEquals(1, counters.get("handshake.replayed").get());
    }

    @Test
    void anotherSecretAnotherPortOrAnotherTagDoNotVerify() {
        KeyedHandshakeTokens client = tokens("s3cret-s3cret-s3cret", clientClock);
        KeyedHandshakeTokens server = tokens("s3cret-s3cret-s3cret", serverClock);
        KeyedHandshakeTokens stranger = tokens("not-the-secret-at-all", clientClock);
        assertFalse(server.verify(stranger.mint(10001), 10001));
        assertFalse(server.verify(client.mint(10001), 10002), "the server port is covered");
        long t = client.mint(10001);
        for (int bit = 0; bit < 64; bit++) {
            assertFalse(server.verify(t ^ (1L << bit), 10001), "bit " + bit + " flipped");
        }
        assertTrue(server.verify(t, 10001));
        assertEquals(0, counters.get("handshake.replayed").get());
    }

    @Test
    void clocksThirtySecondsApartAgreeAndTokensExpireWithinThreeEpochs() {
        KeyedHandshakeTokens client = tokens("k", clientClock);
        KeyedHandshakeTokens server = tokens("k", serverClock);
        for (long skew : new long[] {-30_000, -1, 0, 1, 30_000}) {
            for (long at = 0; at < KeyedHandshakeTokens.EPOCH_MILLIS; at += 997) {
                clientClock.set(1_800_000_000_000L + at);
                serverClock.set(clientClock.get() + skew);
                assertTrue(server.verify(client.mint(7), 7), "skew " + skew + " at " + at);
            }
        }
        clientClock.set(1_800_000_000_000L);
        long old = client.mint(7);
        serverClock.set(clientClock.get() + 3 * KeyedHandshakeTokens.EPOCH_MILLIS);
        assertFalse(server.verify(old, 7), "three epochs later");
    }

    @Test
    void noncesLookRandomAndTagsDependOnThem() {
        KeyedHandshakeTokens client = tokens("k", clientClock);
        Set<Integer> nonces = new HashSet<>();
        Set<Integer> tags = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long t = client.mint(10001);
            nonces.add(HandshakeTokens.nonce(t));
            tags.add(HandshakeTokens.tag(t));
        }
        assertTrue(nonces.size() >= 999, "nonces repeat: " + nonces.size());
        assertTrue(tags.size() >= 999, "tags repeat: " + tags.size());
        assertNotEquals(HandshakeTokens.tag(client.mint(1)), HandshakeTokens.tag(client.mint(1)));
    }

    @Test
    void theMemoryOfAcceptedTokensIsBoundedAndForgetsExpiredOnes() {
        KeyedHandshakeTokens client = tokens("k", clientClock);
        KeyedHandshakeTokens server = tokens("k", serverClock);
        // 65 536 random 32-bit nonces repeat one about every other run (the birthday bound): a
        // repeated token is a replay, not a new one, so only distinct tokens fill the memory.
        Set<Long> minted = new HashSet<>();
        while (minted.size() < KeyedHandshakeTokens.SEEN_LIMIT) {
            long t = client.mint(1);
            if (minted.add(t)) {
                assertTrue(server.verify(t, 1));
            }
        }
        long fresh;
        do {
            fresh = client.mint(1);
        } while (minted.contains(fresh));
        assertFalse(server.verify(fresh, 1), "full");
        assertEquals(1, counters.get("handshake.memory_full").get());
        clientClock.addAndGet(2 * KeyedHandshakeTokens.EPOCH_MILLIS);
        serverClock.addAndGet(2 * KeyedHandshakeTokens.EPOCH_MILLIS);
        assertTrue(server.verify(client.mint(1), 1), "the expired ones were forgotten");
    }

    @Test
    void theOpenTokensOfAHostWithoutASecretLetEverythingIn() {
        HandshakeTokens open = HandshakeTokens.open();
        long t = open.mint(1);
        assertTrue(open.verify(t, 1));
        assertTrue(open.verify(t, 1));
        assertEquals(t, HandshakeTokens.of(HandshakeTokens.nonce(t), HandshakeTokens.tag(t)));
    }
}
