package io.rsock.transport.faketcp;

import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;

/**
 * A model of Linux conntrack's TCP window tracking ({@code tcp_in_window} in
 * {@code nf_conntrack_proto_tcp.c}, with {@code nf_conntrack_tcp_loose=0} and
 * {@code nf_conntrack_tcp_be_liberal=0}) for one connection: it sees every segment in the order it
 * crosses the box and fails the test on any segment the kernel would mark INVALID (and so drop with
 * {@code ct state invalid drop}).
 */
final class ConntrackModel {
    /** One direction's tracking state: td_end, td_maxend, td_maxwin, td_scale. */
    private static final class Side {
        int end;
        int maxend;
        long maxwin;
        int scale;
        boolean wscale;
        boolean seen;
    }

    private static final long MAXACKWINCONST = 66000;
    private final Side orig = new Side();
    private final Side reply = new Side();
    private IpAddress origAddr;
    private int origPort;
    private boolean established;
    private long checked;

    /** Judges one segment; throws {@link AssertionError} saying why conntrack would call it invalid. */
    void observe(ByteBuffer p) {
        int t = Ip.headerLength(p, 0);
        int flags = Tcp.flags(p, t);
        int seq = Tcp.sequence(p, t);
        int ack = Tcp.acknowledgment(p, t);
        int len = Ip.totalLength(p, 0) - t - Tcp.headerLength(p, t);
        int win = Tcp.window(p, t);
        checked++;
        if (!orig.seen) {
            if (flags != Tcp.SYN) {
                throw new AssertionError("first segment is not a SYN: flags " + flags);
            }
            origAddr = IpAddress.source(p, 0);
            origPort = Tcp.sourcePort(p, t);
            orig.seen = true;
            orig.end = orig.maxend = seq + 1;
            orig.maxwin = Math.max(win, 1);
            orig.wscale = Tcp.windowScale(p, t) >= 0;
            orig.scale = Math.max(Tcp.windowScale(p, t), 0);
            return;
        }
        boolean fromOrig = origAddr.isSourceOf(p, 0) && Tcp.sourcePort(p, t) == origPort;
        Side sender = fromOrig ? orig : reply;
        Side receiver = fromOrig ? reply : orig;
        if (!fromOrig && !reply.seen) {
            if (flags != (Tcp.SYN | Tcp.ACK)) {
                throw new AssertionError("answer to the SYN is not a SYN-ACK: flags " + flags);
            }
            reply.seen = true;
            reply.end = reply.maxend = seq + 1;
            reply.maxwin = Math.max(win, 1);
            reply.wscale = Tcp.windowScale(p, t) >= 0;
            reply.scale = Math.max(Tcp.windowScale(p, t), 0);
            if (!orig.wscale || !reply.wscale) {
                orig.scale = reply.scale = 0;
            }
        } else if ((flags & Tcp.SYN) != 0) {
            if (fromOrig && seq + 1 == orig.end && flags == Tcp.SYN) {
                return; // SYN retransmission
            }
            if (!fromOrig && flags == (Tcp.SYN | Tcp.ACK) && seq + 1 == reply.end) {
                return; // SYN-ACK retransmission
            }
            throw new AssertionError("SYN on an established conn");
        }
        if ((flags & Tcp.RST) != 0) {
            return; // RST: checked by sequence in the kernel; a teardown, not judged here
        }
        if ((flags & Tcp.ACK) == 0) {
            throw new AssertionError("segment without ACK after the SYN");
        }
        int end = seq + len + ((flags & Tcp.SYN) != 0 ? 1 : 0) + ((flags & Tcp.FIN) != 0 ? 1 : 0);
        long scaledWin = (flags & Tcp.SYN) != 0 ? win : (long) win << sender.scale;
        long maxAckWindow = Math.max(sender.maxwin, MAXACKWINCONST);
        if (!Seq.le(seq, sender.maxend)) {
            throw new AssertionError("SEQ is over the upper bound (over the window of the receiver): seq "
                    + Integer.toUnsignedString(seq) + " > maxend " + Integer.toUnsignedString(sender.maxend));
        }
        if (!Seq.ge(end, (int) (sender.end - receiver.maxwin))) {
            throw new AssertionError("SEQ is under the lower bound (already ACKed data retransmitted)");
        }
        if (!Seq.le(ack, receiver.end)) {
            throw new AssertionError("ACK is over the upper bound (ACKed data not seen yet): ack "
                    + Integer.toUnsignedString(ack) + " > end " + Integer.toUnsignedString(receiver.end));
        }
        if (!Seq.ge(ack, (int) (receiver.end - maxAckWindow))) {
            throw new AssertionError("ACK is under the lower bound (possible overly delayed ACK)");
        }
        if (sender.maxwin < scaledWin) {
            sender.maxwin = scaledWin;
        }
        if (Seq.gt(end, sender.end)) {
            sender.end = end;
        }
        if (Seq.gt((int) (ack + scaledWin), receiver.maxend - 1)) {
            receiver.maxend = (int) (ack + scaledWin);
        }
        if (fromOrig && !established && (flags & Tcp.ACK) != 0) {
            established = true;
        }
    }

    long checked() {
        return checked;
    }
}
