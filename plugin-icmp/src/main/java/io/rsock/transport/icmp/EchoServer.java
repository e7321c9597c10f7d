package io.rsock.transport.icmp;

import java.nio.ByteBuffer;

/**
 * The server end of an ICMP conn as a pure ledger (the caller serializes calls and gives the time):
 * the client's outstanding echo requests, which the server's frames answer, and the frames waiting
 * for a request when none is outstanding.
 *
 * <p>Rules, so that every reply is one a NAT or conntrack router expects and none is mistaken for
 * the kernel's echo: each request is answered at most once (duplicates refused by {@link SeqWindow});
 * requests are answered oldest first and never after {@code maxAge}; at most {@code backlog} are
 * kept, the oldest dropped beyond; a request is never answered with a payload of the same
 * {@link Fingerprint} as its own (the next one is taken instead, or the frame waits). Frames wait in
 * a bounded queue of {@code queue} slots, copied into one buffer allocated at the first wait.
 */
final class EchoServer {
    private final int capacity;
    private final long maxAgeMs;
    private final SeqWindow window = new SeqWindow();
    private final int[] seqs;
    private final long[] fingerprints;
    private final long[] arrivedMs;
    private int head;
    private int size;

    private final int queueSlots;
    private final int slotSize;
    private ByteBuffer queue; // allocated at the first frame that waits
    private final int[] queuedLength;
    private final long[] queuedFingerprint;
    private int queueHead;
    private int queued;

    private long overflowed;
    private long expired;

    EchoServer(IcmpOptions opts, int maxFrame) {
        this.capacity = opts.backlog();
        this.maxAgeMs = opts.requestMaxAgeMillis();
        this.seqs = new int[capacity];
        this.fingerprints = new long[capacity];
        this.arrivedMs = new long[capacity];
        this.queueSlots = opts.queue();
        this.slotSize = maxFrame;
        this.queuedLength = new int[queueSlots];
        this.queuedFingerprint = new long[queueSlots];
    }

    /** Whether {@code seq} is new (not a duplicate, inside the window); records it. */
    boolean accept(int seq) {
        return window.accept(seq);
    }

    /** The request {@code seq}'s frames authenticated: the window moves up to it. */
    void authenticated(int seq) {
        window.advance(seq);
    }

    /** Whether a waiting frame can answer a request whose payload has {@code requestFingerprint}. */
    boolean canAnswerFromQueue(long requestFingerprint) {
        return queued > 0 && queuedFingerprint[queueHead] != requestFingerprint;
    }

    /**
     * Moves the oldest waiting frame to {@code dst} at absolute offset {@code off}.
     *
     * @return its length
     */
    int pollQueued(ByteBuffer dst, int off) {
        int len = queuedLength[queueHead];
        dst.put(off, queue, queueHead * slotSize, len);
        queueHead = (queueHead + 1) % queueSlots;
        queued--;
        return len;
    }

    /** Keeps an accepted request for a later frame; the oldest goes when the backlog is full. */
    void push(int seq, long fingerprint, long nowMs) {
        if (size == capacity) {
            head = (head + 1) % capacity;
            size--;
            overflowed++;
        }
        int i = (head + size) % capacity;
        seqs[i] = seq;
        fingerprints[i] = fingerprint;
        arrivedMs[i] = nowMs;
        size++;
    }

    /**
     * Takes the request a frame with {@code frameFingerprint} answers: the oldest unexpired one, or
     * the one after it when the oldest carried the same payload.
     *
     * @return its sequence number, or -1 when none is outstanding
     */
    int take(long frameFingerprint, long nowMs) {
        while (size > 0 && nowMs - arrivedMs[head] >= maxAgeMs) {
            head = (head + 1) % capacity;
            size--;
            expired++;
        }
        if (size == 0) {
            return -1;
        }
        if (fingerprints[head] == frameFingerprint) {
            if (size == 1) {
                return -1;
            }
            // Swap the two oldest, so the second answers now and the first stays for another frame.
            int second = (head + 1) % capacity;
            int s = seqs[head];
            long f = fingerprints[head];
            long a = arrivedMs[head];
            seqs[head] = seqs[second];
            fingerprints[head] = fingerprints[second];
            arrivedMs[head] = arrivedMs[second];
            seqs[second] = s;
            fingerprints[second] = f;
            arrivedMs[second] = a;
        }
        int seq = seqs[head];
        head = (head + 1) % capacity;
        size--;
        return seq;
    }

    /**
     * Copies the frame from {@code frame}'s position to its limit into the queue.
     *
     * @return false when the queue is full (or disabled): the frame is dropped
     */
    boolean enqueue(ByteBuffer frame, long fingerprint) {
        if (queued == queueSlots || frame.remaining() > slotSize) {
            return false;
        }
        if (queue == null) {
            queue = ByteBuffer.allocateDirect(queueSlots * slotSize);
        }
        int i = (queueHead + queued) % queueSlots;
        queue.put(i * slotSize, frame, frame.position(), frame.remaining());
        queuedLength[i] = frame.remaining();
        queuedFingerprint[i] = fingerprint;
        queued++;
        return true;
    }

    /** Outstanding requests now. */
    int outstanding() {
        return size;
    }

    /** Requests dropped because the backlog was full; the caller diffs it into a counter. */
    long overflowed() {
        return overflowed;
    }

    /** Requests dropped for their age. */
    long expired() {
        return expired;
    }
}
