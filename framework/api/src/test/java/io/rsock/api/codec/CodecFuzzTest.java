package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile bytes through the IPv4, IPv6, TCP and ICMP decoders, as the capture hands them to a
 * transport: the validators never throw, and once they accept a packet every accessor and option
 * parser stays inside it.
 */
class CodecFuzzTest {
    @Property(tries = 20_000)
    void randomBytesNeverThrowAndAcceptedPacketsParseWithinBounds(@ForAll @Size(max = 200) byte[] bytes,
            @ForAll @IntRange(max = 16) int offset) {
        decodeLikeATransport(bytes, offset);
    }

    /** Mostly well-formed headers with random fields and options: reaches the option parsers far more often. */
    @Property(tries = 20_000)
    void plausibleHeadersWithRandomOptionsParseWithinBounds(@ForAll("plausible") byte[] bytes) {
        decodeLikeATransport(bytes, 0);
    }

    /** Random bytes that start like an IPv6 packet (version 6, a payload length that often fits). */
    @Property(tries = 20_000)
    void randomIpv6BytesNeverThrowAndAcceptedPacketsParseWithinBounds(@ForAll("ipv6") byte[] bytes,
            @ForAll @IntRange(max = 16) int offset) {
        decodeLikeATransport(bytes, offset);
        decodeLikeAnEchoTransport(bytes, offset);
    }

    @Property(tries = 20_000)
    void randomBytesThroughTheEchoDecoders(@ForAll @Size(max = 120) byte[] bytes, @ForAll @IntRange(max = 8) int offset) {
        decodeLikeAnEchoTransport(bytes, offset);
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(160).map(b -> {
            if (b.length > 0) {
                b[0] = (byte) (0x60 | b[0] & 0x0F);
            }
            if (b.length > 6) {
                int[] next = {6, 58, 17, 44, 0, b[6] & 0xFF};
                b[6] = (byte) next[(b[6] & 0x7F) % next.length];
            }
            if (b.length > 5 && (b[5] & 1) == 0) {
                int fits = Math.max(0, b.length - 40 - (b[4] & 3));
                b[4] = (byte) (fits >>> 8);
                b[5] = (byte) fits;
            }
            if (b.length > 60 && b[6] == 6) {
                b[52] = (byte) ((5 + (b[52] & 0x0F) % 11) << 4); // data offset 5..15
            }
            return b;
        });
    }

    private static void decodeLikeAnEchoTransport(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.allocate(offset + bytes.length);
        b.put(offset, bytes);
        if (!Icmp.isValid(b, offset)) {
            return;
        }
        int i = offset + Ip.headerLength(b, offset);
        assertTrue(i + Icmp.HEADER <= offset + Ip.totalLength(b, offset));
        assertTrue(offset + Ip.totalLength(b, offset) <= b.limit());
        Icmp.type(b, i);
        Icmp.identifier(b, i);
        Icmp.sequence(b, i);
        Icmp.verifyPacketChecksum(b, offset);
        IpAddress.source(b, offset);
        IpAddress.sourceHigh(b, offset);
        IpAddress.sourceLow(b, offset);
    }

    @Provide
    Arbitrary<byte[]> plausible() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(20).ofMaxSize(120).map(b -> {
            ByteBuffer x = ByteBuffer.allocate(20 + b.length);
            x.put(0, b, 0, Math.min(b.length, 20));
            int tcpLen = b.length;
            x.put(0, (byte) 0x45);
            x.putShort(2, (short) (20 + tcpLen));
            x.put(6, (byte) 0x40);
            x.put(7, (byte) 0);
            x.put(9, (byte) 6);
            x.put(20, b, 0, b.length);
            // data offset from 5 to 15 (some beyond the segment, to be refused)
            x.put(32, (byte) (((5 + (b[0] & 0x0F) % 11) << 4)));
            return x.array();
        });
    }

    private static void decodeLikeATransport(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.allocate(offset + bytes.length);
        b.put(offset, bytes);
        int ip = offset;
        if (!Ip.isValidHeader(b, ip)) {
            return;
        }
        int ihl = Ip.headerLength(b, ip);
        int total = Ip.totalLength(b, ip);
        assertTrue(ip + total <= b.limit() && ihl <= total);
        IpAddress.source(b, ip);
        IpAddress.destination(b, ip);
        IpAddress.sourceHigh(b, ip);
        IpAddress.sourceLow(b, ip);
        Ip.isFragment(b, ip);
        if (Ip.version(b, ip) == 4) {
            Ipv4.ttl(b, ip);
            Ipv4.flagsAndFragment(b, ip);
            Checksum.verifyIpv4Header(b, ip);
        } else {
            Ipv6.hopLimit(b, ip);
            Ipv6.flowLabel(b, ip);
        }
        if (Ip.protocol(b, ip) != 6) {
            return;
        }
        int t = ip + ihl;
        if (!Tcp.isValidHeader(b, t, total - ihl)) {
            return;
        }
        int end = t + Tcp.headerLength(b, t);
        assertTrue(end <= ip + total);
        Tcp.sourcePort(b, t);
        Tcp.destinationPort(b, t);
        Tcp.sequence(b, t);
        Tcp.acknowledgment(b, t);
        Tcp.flags(b, t);
        Tcp.window(b, t);
        Checksum.transport(b, ip);
        Checksum.pseudoHeader(b, ip, 6, total - ihl);
        if (Ip.version(b, ip) == 4) {
            Checksum.transportIpv4(b, ip);
            Checksum.verifyTransportIpv4(b, ip);
        }
        for (int kind = 0; kind < 256; kind += 1) {
            int at = Tcp.findOption(b, t, kind);
            assertTrue(at == -1 || (at >= t + Tcp.MIN_HEADER && at + 2 <= end), "option " + kind + " at " + at);
        }
        int ts = Tcp.findTimestamps(b, t);
        if (ts >= 0) {
            assertTrue(ts + Tcp.TIMESTAMPS_LENGTH <= end, "timestamps at " + ts + " past the header end " + end);
            Tcp.tsVal(b, ts);
            Tcp.tsEcr(b, ts);
        }
        int mss = Tcp.mss(b, t);
        assertTrue(mss >= -1 && mss <= 0xFFFF);
        int ws = Tcp.windowScale(b, t);
        assertTrue(ws >= -1 && ws <= 255);
        Tcp.sackPermitted(b, t);
    }
}
