package io.rsock.transport.icmp;

import java.util.Arrays;

/**
 * The client end of an ICMP conn as a pure ledger: no sockets, no threads, no clock of its own (the
 * caller serializes calls and gives the time in milliseconds).
 *
 * <p>Every frame the client sends is an echo request with the conn's identifier and the next
 * sequence number; the server can only answer with an echo reply to a request it holds, so the
 * client keeps requests outstanding there: {@code credit} of them, topped up with empty requests
 * ({@link #creditsWanted}) once the server has shown it knows the conn ({@link #isConfirmed}). Before
 * that, every frame request is paired with one empty request (the glue does it), so that a server
 * that must not answer a request with that request's own payload has another to answer with.
 *
 * <p>What the client believes outstanding mirrors what the server keeps: the newest {@code backlog}
 * requests (the server drops older ones; here a slot reused {@code backlog} requests later is
 * forgotten the same way), none older than {@code maxAge}, none answered. A reply is matched to its
 * request by sequence number; a reply whose payload has the fingerprint of its own request's is the
 * server kernel's echo (the server never answers that way, see {@link Fingerprint}): dropped, and it
 * does not free the request, which the server holds too.
 */
final class EchoClient {
    /** A reply the server built: deliver its payload. */
    static final int REPLY_SERVER = 0;
    /** The server kernel's echo of a request: drop it. */
    static final int REPLY_KERNEL = 1;

    final int identifier;
    private final int credit;
    private final int mask;
    private final long maxAgeMs;
    private final long keepaliveMs;
    /** Per slot: the live request's sequence number, or -1 (answered, expired or never used). */
    private final int[] slotSeq;
    /** Per slot: the sequence number of a request the server answered, or -1; its fingerprint stays until the slot is reused. */
    private final int[] slotAnsweredSeq;
    private final long[] slotSentMs;
    private final long[] slotFingerprint;
    private int nextSeq;
    /** The oldest sequence number that may still be live. */
    private int tail;
    private int outstanding;
    private boolean confirmed;
    private long lastSendMs;
    private long lastServerReplyMs;
    private long expired;

    EchoClient(IcmpOptions opts, int identifier, int firstSeq, long nowMs) {
        this.identifier = identifier & 0xFFFF;
        this.credit = opts.credit();
        this.mask = opts.backlog() - 1;
        this.maxAgeMs = opts.requestMaxAgeMillis();
        this.keepaliveMs = opts.keepaliveMillis();
        this.slotSeq = new int[opts.backlog()];
        this.slotAnsweredSeq = new int[opts.backlog()];
        this.slotSentMs = new long[opts.backlog()];
        this.slotFingerprint = new long[opts.backlog()];
        Arrays.fill(slotSeq, -1);
        Arrays.fill(slotAnsweredSeq, -1);
        this.nextSeq = firstSeq & 0xFFFF;
        this.tail = nextSeq;
        this.lastSendMs = nowMs;
        this.lastServerReplyMs = nowMs;
    }

    /**
     * Records a request about to go out with a payload of fingerprint {@code fingerprint} (that of
     * the empty payload for a credit request) and returns its sequence number.
     */
    int nextRequest(long fingerprint, long nowMs) {
        int seq = nextSeq;
        nextSeq = (seq + 1) & 0xFFFF;
        int slot = seq & mask;
        if (slotSeq[slot] >= 0) {
            outstanding--; // the server drops its oldest beyond the backlog too
        }
        slotSeq[slot] = seq;
        slotAnsweredSeq[slot] = -1;
        slotSentMs[slot] = nowMs;
        slotFingerprint[slot] = fingerprint;
        outstanding++;
        lastSendMs = nowMs;
        if (((nextSeq - tail) & 0xFFFF) > mask + 1) {
            tail = (nextSeq - mask - 1) & 0xFFFF;
        }
        return seq;
    }

    /**
     * Classifies an echo reply with sequence number {@code seq} whose payload has
     * {@code fingerprint} and {@code length} bytes.
     *
     * @return {@link #REPLY_SERVER} or {@link #REPLY_KERNEL}
     */
    int onReply(int seq, long fingerprint, int length, long nowMs) {
        int slot = seq & mask;
        boolean live = slotSeq[slot] == seq;
        // The server kernel's echo of a request may come after the server's answer to it (a path
        // that reorders, a kernel that waits for its neighbour): still the kernel's, not a frame.
        boolean asked = live || slotAnsweredSeq[slot] == seq;
        if (length == 0 || (asked && slotFingerprint[slot] == fingerprint)) {
            return REPLY_KERNEL; // the server never sends an empty reply, nor one equal to its request
        }
        if (live) {
            slotSeq[slot] = -1;
            slotAnsweredSeq[slot] = seq;
            outstanding--;
        }
        confirmed = true;
        lastServerReplyMs = nowMs;
        return REPLY_SERVER;
    }

    /** Forgets requests older than the maximum age, as the server does. */
    void expire(long nowMs) {
        while (tail != nextSeq) {
            int slot = tail & mask;
            if (slotSeq[slot] == tail) {
                if (nowMs - slotSentMs[slot] < maxAgeMs) {
                    return;
                }
                slotSeq[slot] = -1;
                outstanding--;
                expired++;
            }
            tail = (tail + 1) & 0xFFFF;
        }
    }

    /** Empty requests to send now to keep {@code credit} outstanding: none before the server answered once. */
    int creditsWanted() {
        return confirmed ? Math.max(0, credit - outstanding) : 0;
    }

    /** Whether nothing was sent for the keepalive interval: an empty request keeps NAT and conntrack entries. */
    boolean keepaliveDue(long nowMs) {
        return nowMs - lastSendMs >= keepaliveMs;
    }

    /** Whether the server answered this conn at least once (so it holds a conn for it). */
    boolean isConfirmed() {
        return confirmed;
    }

    int outstanding() {
        return outstanding;
    }

    long lastServerReplyMs() {
        return lastServerReplyMs;
    }

    /** Requests forgotten unanswered for their age (tests, counters). */
    long expiredCount() {
        return expired;
    }
}
