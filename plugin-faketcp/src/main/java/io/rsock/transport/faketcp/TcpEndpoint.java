package io.rsock.transport.faketcp;

import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.IpTcpWriter;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;

/**
 * One end of a fake TCP connection as a pure state machine: no sockets, no pcap, no threads, no
 * clock of its own. It consumes received segments ({@link #onSegment}) and writes the segments to
 * send into a caller's buffer ({@code write*}, {@link #tick}); the caller sends them, serializes calls
 * (one lock per conn) and gives the time in milliseconds.
 *
 * <p>What it keeps so that a stateful firewall (Linux conntrack, {@code tcp_loose=0}, not liberal)
 * and a NAT accept every segment: a real handshake with Linux's options; {@code snd.nxt} advancing
 * exactly by the payload sent; an acknowledgment that is the highest sequence number the peer
 * reached (never beyond what it sent, never far behind it, lost segments notwithstanding: there is
 * no retransmission, the application's ARQ handles loss); never more in flight than the peer's
 * window allows; the timestamps option on every segment once negotiated. Sequence numbers compare
 * with serial arithmetic ({@link Seq}), so everything holds across the 2^32 wrap-around.
 *
 * <p>Both families: the endpoint's addresses are {@link IpAddress}es of one family, its segments
 * IPv4 (DF set, a new identification each) or IPv6 (a flow label fixed for the conn, as Linux's).
 * Frames are sized to the path: the MSS both sides advertised, and the path MTU a router reported
 * ({@link #pathMtu(int)}), the IP header's length counted (20 or 40 bytes).
 *
 * <p>ACK policy: data segments carry the ACK. A pure ACK goes out when {@code ackEvery} data
 * segments arrived with nothing sent back, or when data has waited {@code ackDelay} ms for a ride
 * ({@link #tick}), or when {@code keepalive} ms passed without sending anything.
 */
final class TcpEndpoint {
    /** Connection states (a subset of RFC 9293's: no retransmission, no half-close). */
    enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSED }

    /** Window scale we offer, as Linux does with large buffers. */
    static final int WINDOW_SHIFT = 7;
    /** Window field after the handshake: 65535 << 7, about 8 MiB. */
    static final int WINDOW_FIELD = 0xFFFF;
    /** Window field of SYN and SYN-ACK (never scaled), Linux's 64240. */
    static final int SYN_WINDOW = 64240;
    /**
     * At most one challenge ACK per conn in this long (Linux's {@code tcp_invalid_ratelimit}). Per
     * conn, not per host: a host-wide budget is what let an off-path attacker count another conn's
     * challenge ACKs through its own (CVE-2016-5696).
     */
    static final long CHALLENGE_INTERVAL_MS = 500;
    /**
     * How many of the acknowledgment numbers we sent last an RST may name and close the conn. A
     * middlebox that resets one of our segments (a censor's forged RST, a firewall's reject) puts
     * that segment's ack in its RST's seq; by the time it arrives, {@code rcv.nxt} may have moved
     * on with the peer's traffic, and a challenge ACK would keep a conn the middlebox has already
     * cut (it then carries nothing until the pool finds it silent). A blind attacker still has to
     * hit one of these exact values: 17 in 2^32 instead of 1.
     */
    static final int ACKS_REMEMBERED = 16;
    /** Options on every data segment and ACK once timestamps are on: NOP, NOP, timestamps. */
    static final int DATA_OPTIONS = Tcp.ALIGNED_TIMESTAMPS_LENGTH;
    /** IPv4 + TCP + timestamps: what a data segment adds to a frame. */
    static final int OVERHEAD = Ipv4TcpWriter.HEADERS + DATA_OPTIONS;

    private final FakeTcpOptions opts;
    final IpAddress localAddr;
    final IpAddress remoteAddr;
    final int localPort;
    final int remotePort;
    private final int mss;
    /** IP and TCP fixed headers of this conn's family: 40 or 60. */
    private final int headers;
    /** The path MTU towards the peer, as far as we know it: the device's until a router says less. */
    private int pathMtu;

    private State state;
    private final int iss;
    private int irs;
    private int sndNxt;
    /** Highest ack the peer sent: the left edge of its window. */
    private int sndUna;
    /** The peer's window in bytes, scaled. */
    private long sndWnd;
    /** What we acknowledge: the highest sequence number the peer reached. */
    private int rcvNxt;
    private int peerShift = -1;
    private int peerMss = 536;
    private boolean timestamps;
    private boolean sackOk;
    /** Server: the SYN carried an MSS option, so the SYN-ACK may carry ours. */
    private boolean peerSentMss;
    private int tsRecent;
    private final int tsOffset;
    /** Client: the SYN's timestamp value, the handshake token's tag; every retry repeats it. */
    private int synTsVal;
    /** Largest window the peer advertised: how far behind {@code snd.una} an ACK may be (RFC 5961 5.2). */
    private long maxSndWnd;
    private long lastChallengeMs = Long.MIN_VALUE / 2;
    /** The last {@link #ACKS_REMEMBERED} distinct acknowledgment numbers sent, a ring; {@code acksSentCount} of them valid. */
    private final int[] acksSent = new int[ACKS_REMEMBERED];
    private int acksSentNext;
    private int acksSentCount;
    /**
     * What the last data segment would move, kept until the host says its frames authenticated
     * ({@link #acceptPayload}): a blind attacker's in-window bytes must not move {@code rcv.nxt}
     * (we would acknowledge data the peer never sent, and a stateful firewall drops such ACKs), nor
     * the window or the timestamp we echo.
     */
    private int pendingEnd;
    private long pendingWnd;
    private int pendingTs;
    private boolean pendingHasTs;
    private int ipId;

    private long lastSendMs;
    private long lastRecvMs;
    private int unacked;
    private long firstUnackedMs;
    private int synSent;
    private long nextSynMs;
    private final long createdMs;

    private Reply reply;
    /** The reply is a challenge ACK (counted apart). */
    private boolean challenged;
    private int payloadOffset;
    private int payloadLength;
    private int replyAck;

    private TcpEndpoint(FakeTcpOptions opts, int mtu, IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort,
            int iss, int tsOffset, int ipId, long nowMs) {
        this.opts = opts;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
        this.headers = IpTcpWriter.headers(localAddr);
        this.mss = Math.min(0xFFFF, mtu - headers);
        this.pathMtu = mtu;
        this.iss = iss;
        this.sndNxt = iss;
        this.sndUna = iss;
        this.tsOffset = tsOffset;
        this.ipId = ipId;
        this.createdMs = nowMs;
        this.lastRecvMs = nowMs;
        this.lastSendMs = nowMs;
    }

    /**
     * A client endpoint about to send its SYN ({@link #writeSyn}), whose ISN and timestamp value are
     * {@code iss} and {@code synTsVal}: a handshake token's nonce and tag. Later timestamps follow the
     * clock from there.
     */
    static TcpEndpoint connect(FakeTcpOptions opts, int mtu, IpAddress localAddr, int localPort, IpAddress remoteAddr,
            int remotePort, int iss, int synTsVal, int ipId, long nowMs) {
        TcpEndpoint e = new TcpEndpoint(opts, mtu, localAddr, localPort, remoteAddr, remotePort, iss,
                synTsVal - (int) nowMs, ipId, nowMs);
        e.synTsVal = synTsVal;
        e.state = State.SYN_SENT;
        return e;
    }

    /**
     * A server endpoint for the SYN in {@code syn} (an IPv4 or IPv6 packet at {@code ip}, validated,
     * flags exactly SYN), answering from the address the SYN was sent to; write its SYN-ACK with
     * {@link #writeSynAck}.
     */
    static TcpEndpoint accept(FakeTcpOptions opts, int mtu, ByteBuffer syn, int ip, int iss, int tsOffset, int ipId,
            long nowMs) {
        int t = ip + Ip.headerLength(syn, ip);
        TcpEndpoint e = new TcpEndpoint(opts, mtu, IpAddress.destination(syn, ip), Tcp.destinationPort(syn, t),
                IpAddress.source(syn, ip), Tcp.sourcePort(syn, t), iss, tsOffset, ipId, nowMs);
        e.state = State.SYN_RECEIVED;
        e.irs = Tcp.sequence(syn, t);
        e.rcvNxt = e.irs + 1;
        e.sndNxt = iss + 1;
        e.readSynOptions(syn, t);
        e.sndWnd = Tcp.window(syn, t);
        e.maxSndWnd = e.sndWnd;
        return e;
    }

    private void readSynOptions(ByteBuffer b, int t) {
        int ws = Tcp.windowScale(b, t);
        peerShift = ws < 0 ? -1 : Math.min(ws, 14);
        int m = Tcp.mss(b, t);
        peerSentMss = m > 0;
        peerMss = m > 0 ? m : 536;
        sackOk = Tcp.sackPermitted(b, t);
        int ts = Tcp.findTimestamps(b, t);
        timestamps = ts >= 0;
        if (timestamps) {
            tsRecent = Tcp.tsVal(b, ts);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Consumes one segment of this conn: an IP packet at {@code ip} whose IP and TCP headers and
     * checksum the caller checked, and whose addresses and ports are this endpoint's.
     *
     * @return one of the {@link Segment} codes; {@link #reply()} then says what must go out
     */
    Segment onSegment(ByteBuffer b, int ip, long nowMs) {
        reply = Reply.NONE;
        challenged = false;
        payloadLength = 0;
        int ihl = Ip.headerLength(b, ip);
        int t = ip + ihl;
        int segLen = Ip.totalLength(b, ip) - ihl;
        int hl = Tcp.headerLength(b, t);
        int flags = Tcp.flags(b, t);
        int seq = Tcp.sequence(b, t);
        int ack = Tcp.acknowledgment(b, t);
        payloadOffset = t + hl;
        int len = segLen - hl;
        boolean hasAck = (flags & Tcp.ACK) != 0;

        switch (state) {
            case CLOSED:
                return Segment.BAD_FLAGS;
            case SYN_SENT:
                if ((flags & Tcp.RST) != 0) {
                    if (hasAck && ack == iss + 1) {
                        state = State.CLOSED;
                        return Segment.RESET;
                    }
                    return Segment.BAD_FLAGS;
                }
                if (hasAck && ack != iss + 1) {
                    replyRst(ack);
                    return Segment.BAD_ACK;
                }
                if ((flags & (Tcp.SYN | Tcp.ACK | Tcp.FIN)) != (Tcp.SYN | Tcp.ACK)) {
                    return Segment.BAD_FLAGS;
                }
                irs = seq;
                rcvNxt = seq + 1;
                sndNxt = iss + 1;
                sndUna = ack;
                readSynOptions(b, t);
                sndWnd = Tcp.window(b, t); // never scaled on a SYN
                maxSndWnd = sndWnd;
                state = State.ESTABLISHED;
                lastRecvMs = nowMs;
                reply = Reply.ACK;
                return Segment.CONNECTED;
            case SYN_RECEIVED:
                if ((flags & Tcp.RST) != 0) {
                    return onReset(seq, nowMs);
                }
                if ((flags & Tcp.SYN) != 0) {
                    if (!hasAck && seq == irs) {
                        reply = Reply.SYN_ACK; // our SYN-ACK was lost: the client retried
                        return Segment.NONE;
                    }
                    return Segment.BAD_FLAGS;
                }
                if (!hasAck) {
                    return Segment.BAD_FLAGS;
                }
                if (ack != iss + 1) {
                    replyRst(ack);
                    return Segment.BAD_ACK;
                }
                state = State.ESTABLISHED;
                Segment r = established(b, t, flags, seq, ack, len, nowMs);
                return r == Segment.NONE ? Segment.ESTABLISHED : r;
            case ESTABLISHED:
                if ((flags & Tcp.RST) != 0) {
                    return onReset(seq, nowMs);
                }
                if ((flags & Tcp.SYN) != 0) {
                    // A retransmitted SYN-ACK (our ACK was lost) or a SYN on an open conn, whatever its
                    // sequence number: a challenge ACK (RFC 5961 4); a restarted client answers it with
                    // RST and redials.
                    challenge(nowMs);
                    return hasAck && seq == irs ? Segment.NONE : Segment.CHALLENGED;
                }
                if (!hasAck) {
                    return Segment.BAD_FLAGS;
                }
                return established(b, t, flags, seq, ack, len, nowMs);
            default:
                return Segment.BAD_FLAGS;
        }
    }

    private Segment established(ByteBuffer b, int t, int flags, int seq, int ack, int len, long nowMs) {
        // RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT, else drop and challenge.
        if (Seq.gt(ack, sndNxt) || Seq.lt(ack, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE))) {
            challenge(nowMs);
            return Segment.BAD_ACK;
        }
        if (!inWindow(seq, len)) {
            return Segment.OUT_OF_WINDOW;
        }
        if ((flags & Tcp.FIN) != 0 && seq != rcvNxt) {
            // Like an RST (RFC 5961 3): only at exactly rcv.nxt, or a blind FIN would close the conn.
            challenge(nowMs);
            return Segment.CHALLENGED;
        }
        if (Seq.gt(ack, sndUna)) {
            sndUna = ack; // an ACK the peer may not have sent only lets us send what it allowed anyway
        }
        long wnd = (long) Tcp.window(b, t) << Math.max(peerShift, 0);
        lastRecvMs = nowMs;
        if ((flags & Tcp.FIN) != 0) {
            rcvNxt = seq + len + 1;
            payloadLength = len;
            state = State.CLOSED;
            reply = Reply.FIN;
            return Segment.FIN;
        }
        if (len == 0) {
            // A pure ACK cannot be authenticated: it may widen the window (our peer never shrinks it)
            // but moves nothing else.
            if (wnd > sndWnd) {
                sndWnd = wnd;
                maxSndWnd = Math.max(maxSndWnd, wnd);
            }
            return Segment.NONE;
        }
        pendingEnd = seq + len;
        pendingWnd = wnd;
        int ts = timestamps ? Tcp.findTimestamps(b, t) : -1;
        pendingHasTs = ts >= 0;
        pendingTs = pendingHasTs ? Tcp.tsVal(b, ts) : 0;
        payloadLength = len;
        if (unacked++ == 0) {
            firstUnackedMs = nowMs;
        }
        if (unacked >= opts.ackEvery()) {
            reply = Reply.ACK;
        }
        return Segment.DATA;
    }

    /**
     * The host found the frames of the last {@link #Segment.DATA} segment authentic: acknowledge them,
     * and take its window and timestamp.
     */
    void acceptPayload() {
        if (Seq.gt(pendingEnd, rcvNxt)) {
            rcvNxt = pendingEnd;
        }
        sndWnd = pendingWnd;
        maxSndWnd = Math.max(maxSndWnd, pendingWnd);
        if (pendingHasTs && pendingTs - tsRecent >= 0) {
            tsRecent = pendingTs;
        }
    }

    /**
     * An RST in a synchronized state (RFC 5961 3): closes at exactly {@code rcv.nxt}; anywhere else in
     * the window it gets a challenge ACK, outside it nothing.
     */
    private Segment onReset(int seq, long nowMs) {
        if (seq == rcvNxt || ackSentRecently(seq)) {
            state = State.CLOSED;
            return Segment.RESET;
        }
        if (!inWindow(seq, 0)) {
            return Segment.OUT_OF_WINDOW;
        }
        challenge(nowMs);
        return Segment.CHALLENGED;
    }

    private boolean ackSentRecently(int seq) {
        for (int i = 0; i < acksSentCount; i++) {
            if (acksSent[i] == seq) {
                return true;
            }
        }
        return false;
    }

    private void rememberAckSent(int ack) {
        if (acksSentCount > 0 && acksSent[(acksSentNext - 1) & (ACKS_REMEMBERED - 1)] == ack) {
            return;
        }
        acksSent[acksSentNext] = ack;
        acksSentNext = (acksSentNext + 1) & (ACKS_REMEMBERED - 1);
        acksSentCount = Math.min(ACKS_REMEMBERED, acksSentCount + 1);
    }

    /** Asks for a challenge ACK ({@link #Reply.ACK}) unless one went out in the last {@link #CHALLENGE_INTERVAL_MS}. */
    private void challenge(long nowMs) {
        if (nowMs - lastChallengeMs >= CHALLENGE_INTERVAL_MS) {
            lastChallengeMs = nowMs;
            reply = Reply.ACK;
            challenged = true;
        }
    }

    /**
     * Whether {@code [seq, seq + len)} overlaps what we accept: from one window behind what we
     * acknowledge (late, reordered segments are still delivered: the tunnel does not order) to one
     * window ahead (what the peer may send before our next ACK).
     */
    private boolean inWindow(int seq, int len) {
        long win = receiveWindow();
        long ahead = seq - rcvNxt; // signed distance
        return ahead <= win && ahead + len >= -win;
    }

    private long receiveWindow() {
        return peerShift >= 0 ? (long) WINDOW_FIELD << WINDOW_SHIFT : WINDOW_FIELD;
    }

    private void replyRst(int ack) {
        reply = Reply.RST;
        replyAck = ack;
    }

    // ---------------------------------------------------------------------------------------------
    // Sending: each method writes one whole IP packet at offset 0 of out and returns its length.

    /** The SYN (again, at a retry: the same ISN and timestamp, which carry the handshake token). */
    int writeSyn(ByteBuffer out, long nowMs) {
        int o = IpTcpWriter.begin(out, 0, localAddr, remoteAddr, nextId(), localPort, remotePort, iss, 0, Tcp.SYN,
                SYN_WINDOW, Tcp.LINUX_SYN_OPTIONS_LENGTH);
        Tcp.writeLinuxSynOptions(out, o, mss, synTsVal, 0, WINDOW_SHIFT);
        synSent++;
        nextSynMs = nowMs + (opts.synRtoMillis() << (synSent - 1));
        return sent(out, 0, nowMs);
    }

    /**
     * The SYN-ACK, with the options the SYN offered, in Linux's layout. Never larger than the SYN it
     * answers, so a spoofed SYN cannot make us an amplifier: each option is answered only if the SYN
     * carried it, and ours takes no more room than the SYN's (MSS 4 for 4, timestamps 12 for at least
     * 10, SACK-permitted 4 for at least 2, window scale 4 for at least 3, the SYN's total padded to 4).
     * Linux adds MSS even to a SYN that had none; we do not, which costs nothing (the peer assumes 536
     * and our segments follow its MSS, not ours).
     */
    int writeSynAck(ByteBuffer out, long nowMs) {
        int optLen = (peerSentMss ? 4 : 0) + (timestamps ? 12 : sackOk ? 4 : 0) + (peerShift >= 0 ? 4 : 0);
        int o = IpTcpWriter.begin(out, 0, localAddr, remoteAddr, nextId(), localPort, remotePort, iss, rcvNxt,
                Tcp.SYN | Tcp.ACK, SYN_WINDOW, optLen);
        if (peerSentMss) {
            o = Tcp.writeMss(out, o, mss);
        }
        if (timestamps && sackOk) {
            o = Tcp.writeSackPermitted(out, o);
            o = Tcp.writeTimestamps(out, o, tsVal(nowMs), tsRecent);
        } else if (timestamps) {
            o = Tcp.writeAlignedTimestamps(out, o, tsVal(nowMs), tsRecent);
        } else if (sackOk) {
            o = Tcp.writeNop(out, o);
            o = Tcp.writeNop(out, o);
            o = Tcp.writeSackPermitted(out, o);
        }
        if (peerShift >= 0) {
            o = Tcp.writeNop(out, o);
            Tcp.writeWindowScale(out, o, WINDOW_SHIFT);
        }
        return sent(out, 0, nowMs);
    }

    /** A pure ACK (also the keepalive). */
    int writeAck(ByteBuffer out, long nowMs) {
        begin(out, Tcp.ACK, sndNxt, nowMs);
        return sent(out, 0, nowMs);
    }

    /**
     * A data segment carrying {@code frame} (position to limit, left alone), or -1 when the conn is
     * not established or the frame would overrun the peer's window (conntrack would drop it).
     */
    int writeData(ByteBuffer out, ByteBuffer frame, long nowMs) {
        int n = frame.remaining();
        if (state != State.ESTABLISHED || (sndNxt + n) - sndUna > sndWnd || (sndNxt + n) - sndUna < 0) {
            return -1;
        }
        int o = begin(out, Tcp.ACK | Tcp.PSH, sndNxt, nowMs);
        out.put(o, frame, frame.position(), n);
        sndNxt += n;
        return sent(out, n, nowMs);
    }

    /** FIN-ACK: the orderly close, or the answer to the peer's FIN. The endpoint is closed after it. */
    int writeFin(ByteBuffer out, long nowMs) {
        begin(out, Tcp.FIN | Tcp.ACK, sndNxt, nowMs);
        sndNxt++;
        state = State.CLOSED;
        return sent(out, 0, nowMs);
    }

    /** RST-ACK: the abortive close. The endpoint is closed after it. */
    int writeRst(ByteBuffer out, long nowMs) {
        IpTcpWriter.begin(out, 0, localAddr, remoteAddr, nextId(), localPort, remotePort, sndNxt, rcvNxt,
                Tcp.RST | Tcp.ACK, 0, 0);
        state = State.CLOSED;
        return IpTcpWriter.finish(out, 0, 0);
    }

    /** The bare RST that {@link #Reply.RST} asks for: seq = the offending segment's ack. */
    int writeReplyRst(ByteBuffer out) {
        IpTcpWriter.begin(out, 0, localAddr, remoteAddr, nextId(), localPort, remotePort, replyAck, 0, Tcp.RST, 0, 0);
        return IpTcpWriter.finish(out, 0, 0);
    }

    /** Writes whatever {@link #reply()} asks for; returns the length, or 0 when nothing is due. */
    int writeReply(ByteBuffer out, long nowMs) {
        switch (reply) {
            case ACK:
                return writeAck(out, nowMs);
            case SYN_ACK:
                return writeSynAck(out, nowMs);
            case RST:
                return writeReplyRst(out);
            case FIN:
                return writeFin(out, nowMs);
            default:
                return 0;
        }
    }

    /**
     * The RST a closed port answers {@code seg} with (RFC 9293 3.10.7.1): from the segment's
     * destination back to its source; seq = its ack when it has one, else an ACK of everything it
     * occupies. Never call it for a RST. Returns the length written at offset 0 of {@code out}.
     */
    static int writeResetFor(ByteBuffer out, ByteBuffer seg, int ip) {
        int t = ip + Ip.headerLength(seg, ip);
        int flags = Tcp.flags(seg, t);
        int len = Ip.transportLength(seg, ip) - Tcp.headerLength(seg, t);
        boolean hasAck = (flags & Tcp.ACK) != 0;
        int seq = hasAck ? Tcp.acknowledgment(seg, t) : 0;
        int ack = hasAck ? 0 : Tcp.sequence(seg, t) + len + ((flags & Tcp.SYN) != 0 ? 1 : 0) + ((flags & Tcp.FIN) != 0 ? 1 : 0);
        // Rate-limited (FakeTcpTransport.mayReset): two addresses per reset are not the packet path's allocations.
        IpTcpWriter.begin(out, 0, IpAddress.destination(seg, ip), IpAddress.source(seg, ip), 0, Tcp.destinationPort(seg, t),
                Tcp.sourcePort(seg, t), seq, ack, hasAck ? Tcp.RST : Tcp.RST | Tcp.ACK, 0, 0);
        return IpTcpWriter.finish(out, 0, 0);
    }

    private int begin(ByteBuffer out, int flags, int seq, long nowMs) {
        rememberAckSent(rcvNxt);
        int o = IpTcpWriter.begin(out, 0, localAddr, remoteAddr, nextId(), localPort, remotePort, seq, rcvNxt, flags,
                WINDOW_FIELD, timestamps ? DATA_OPTIONS : 0);
        return timestamps ? Tcp.writeAlignedTimestamps(out, o, tsVal(nowMs), tsRecent) : o;
    }

    private int sent(ByteBuffer out, int payload, long nowMs) {
        lastSendMs = nowMs;
        unacked = 0;
        return IpTcpWriter.finish(out, 0, payload);
    }

    private int tsVal(long nowMs) {
        return (int) nowMs + tsOffset;
    }

    /**
     * The IP header's identification: IPv4's a new one per packet; IPv6 has none, and the flow label
     * stands in its place, fixed for the conn as Linux keeps it per socket (the random start of the ids).
     */
    private int nextId() {
        return localAddr.isV6() ? ipId : ipId++;
    }

    // ---------------------------------------------------------------------------------------------
    // Timers

    /** {@link #tick} wrote a packet to send. */
    static final int TICK_SEND = 1;
    /** {@link #tick}: nothing to do. */
    static final int TICK_NONE = 0;
    /** {@link #tick}: the handshake or the conn timed out; the endpoint is closed. */
    static final int TICK_TIMEOUT = -1;

    /**
     * Runs the timers at {@code nowMs}: SYN retransmission and handshake timeout, half-open
     * timeout (server, until {@code opened}), idle timeout, delayed ACK, keepalive. When it returns
     * {@link #TICK_SEND}, the packet is in {@code out} and {@link #lastLength()} is its length.
     */
    int tick(ByteBuffer out, long nowMs, boolean opened) {
        lastLength = 0;
        switch (state) {
            case SYN_SENT:
                if (nowMs - nextSynMs < 0) {
                    return TICK_NONE;
                }
                if (synSent > opts.synRetries()) {
                    state = State.CLOSED;
                    return TICK_TIMEOUT;
                }
                lastLength = writeSyn(out, nowMs);
                return TICK_SEND;
            case SYN_RECEIVED:
                if (nowMs - createdMs >= opts.halfOpenMillis()) {
                    state = State.CLOSED;
                    return TICK_TIMEOUT;
                }
                return TICK_NONE;
            case ESTABLISHED:
                if (!opened && nowMs - createdMs >= opts.halfOpenMillis()) {
                    state = State.CLOSED;
                    return TICK_TIMEOUT;
                }
                if (nowMs - lastRecvMs >= opts.idleMillis()) {
                    state = State.CLOSED;
                    return TICK_TIMEOUT;
                }
                if ((unacked > 0 && nowMs - firstUnackedMs >= opts.ackDelayMillis())
                        || nowMs - lastSendMs >= opts.keepaliveMillis()) {
                    lastLength = writeAck(out, nowMs);
                    return TICK_SEND;
                }
                return TICK_NONE;
            default:
                return TICK_NONE;
        }
    }

    private int lastLength;

    /** Length of the packet the last {@link #tick} wrote. */
    int lastLength() {
        return lastLength;
    }

    // ---------------------------------------------------------------------------------------------
    // State, for the transport and tests

    State state() {
        return state;
    }

    Reply reply() {
        return reply;
    }

    /** Whether the reply asked for is a challenge ACK. */
    boolean challenged() {
        return challenged;
    }

    int payloadOffset() {
        return payloadOffset;
    }

    int payloadLength() {
        return payloadLength;
    }

    int iss() {
        return iss;
    }

    int sndNxt() {
        return sndNxt;
    }

    int sndUna() {
        return sndUna;
    }

    int rcvNxt() {
        return rcvNxt;
    }

    boolean timestamps() {
        return timestamps;
    }

    int peerShift() {
        return peerShift;
    }

    /**
     * Largest payload of one data segment: our MSS (and what fits the path MTU) less the timestamps
     * option, and once the handshake told us, no more than the peer's MSS allows.
     */
    int maxPayload() {
        int ours = Math.min(mss, pathMtu - headers) - DATA_OPTIONS;
        if (state == State.ESTABLISHED) {
            return Math.min(ours, peerMss - (timestamps ? DATA_OPTIONS : 0));
        }
        return ours;
    }

    /**
     * The path MTU towards the peer is {@code mtu} (IP header included), as a router said: data
     * segments stay under it from now on. Routers never fragment ours (IPv4: DF; IPv6: never).
     */
    void pathMtu(int mtu) {
        pathMtu = mtu;
    }

    /** Data segments received since we last sent anything (the delayed-ACK count). */
    int unackedSegments() {
        return unacked;
    }
}
