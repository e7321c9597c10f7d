package io.rsock.transport.faketcp;

import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;

/** Test helpers: packets as independent buffers, and quick field reads. */
final class Wire {
    static final IpAddress CLIENT = IpAddress.v4(0x0A000001);
    static final IpAddress SERVER = IpAddress.v4(0x0A000002);
    static final int CPORT = 40000;
    static final int SPORT = 10001;
    static final int MTU = 1500;

    private Wire() {
    }

    /** A copy of the {@code len}-byte packet at the start of {@code out}, checked well-formed. */
    static ByteBuffer take(ByteBuffer out, int len) {
        if (len <= 0) {
            throw new AssertionError("no packet written: " + len);
        }
        ByteBuffer p = ByteBuffer.allocate(len);
        p.put(0, out, 0, len);
        if (!Ipv4.isValidHeader(p, 0) || !Checksum.verifyIpv4Header(p, 0) || !Checksum.verifyTransportIpv4(p, 0)) {
            throw new AssertionError("malformed packet written");
        }
        if ((Ipv4.flagsAndFragment(p, 0) & Ipv4.DONT_FRAGMENT) == 0 || Ipv4.ttl(p, 0) != 64) {
            throw new AssertionError("DF and TTL 64 expected");
        }
        return p;
    }

    static int flags(ByteBuffer p) {
        return Tcp.flags(p, 20);
    }

    static int seq(ByteBuffer p) {
        return Tcp.sequence(p, 20);
    }

    static int ack(ByteBuffer p) {
        return Tcp.acknowledgment(p, 20);
    }

    static int payloadLength(ByteBuffer p) {
        return Ipv4.totalLength(p, 0) - 20 - Tcp.headerLength(p, 20);
    }

    static byte[] payload(ByteBuffer p) {
        byte[] b = new byte[payloadLength(p)];
        p.get(20 + Tcp.headerLength(p, 20), b);
        return b;
    }

    /** TSval of the packet, failing when it has no timestamps option. */
    static int tsVal(ByteBuffer p) {
        int ts = Tcp.findTimestamps(p, 20);
        if (ts < 0) {
            throw new AssertionError("no timestamps option");
        }
        return Tcp.tsVal(p, ts);
    }

    static int tsEcr(ByteBuffer p) {
        int ts = Tcp.findTimestamps(p, 20);
        if (ts < 0) {
            throw new AssertionError("no timestamps option");
        }
        return Tcp.tsEcr(p, ts);
    }
}
