package io.rsock.transport.icmp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Role;
import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.testkit.TestTransportContext;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The first thing the ICMP transport does with a captured packet, fed what anyone on the Internet
 * may send, over IPv4 and IPv6: it never throws, and what it admits can be read within the
 * packet's bounds.
 */
class IcmpAdmitFuzzTest {
    private final IcmpCounters counters = new IcmpCounters(TestTransportContext.of(Role.SERVER));

    @Property(tries = 20_000)
    void randomBytesAreRefusedOrReadWithinBounds(@ForAll byte[] bytes) {
        admitAndRead(bytes);
    }

    /** IPv4 headers that claim ICMP, with random lengths, flags and payloads: reaches the ICMP checks. */
    @Property(tries = 20_000)
    void plausibleIcmpPacketsAreRefusedOrReadWithinBounds(@ForAll("plausible") byte[] bytes) {
        admitAndRead(bytes);
    }

    /** IPv6 headers that claim ICMPv6 (or a fragment, or something else), with random lengths and payloads. */
    @Property(tries = 20_000)
    void plausibleIcmpv6PacketsAreRefusedOrReadWithinBounds(@ForAll("plausible6") byte[] bytes) {
        admitAndRead(bytes);
    }

    @Provide
    Arbitrary<byte[]> plausible6() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(40).ofMaxSize(200).map(b -> {
            b[0] = (byte) (0x60 | b[0] & 0x0F);
            int[] next = {58, 58, 58, 44, 6};
            b[6] = (byte) next[(b[6] & 0x7F) % next.length];
            int payload = (b[5] & 0x7F) % Math.max(1, b.length - 39);
            b[4] = 0;
            b[5] = (byte) payload;
            if (payload >= 8 && (b[1] & 1) == 0) {
                ByteBuffer x = ByteBuffer.wrap(b);
                x.putShort(42, (short) 0);
                x.putShort(42, (short) Checksum.transport(x.limit(40 + payload), 0)); // some with a right checksum
            }
            return b;
        });
    }

    @Provide
    Arbitrary<byte[]> plausible() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(20).ofMaxSize(200).map(b -> {
            b[0] = 0x45;
            b[9] = 1;
            int total = 20 + (b[3] & 0x7F) % Math.max(1, b.length - 19);
            b[2] = (byte) (total >>> 8);
            b[3] = (byte) total;
            if ((b[6] & 1) == 0) {
                b[6] = 0x40; // mostly unfragmented
                b[7] = 0;
            }
            if (b.length > 28 && (b[1] & 1) == 0) {
                ByteBuffer x = ByteBuffer.wrap(b);
                Icmp.fillChecksum(x, 20, Math.min(total, b.length) - 20); // some with a right checksum
            }
            return b;
        });
    }

    private void admitAndRead(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (!counters.admit(b, 0, true)) {
            return;
        }
        int ihl = Ip.headerLength(b, 0);
        int total = Ip.totalLength(b, 0);
        assertTrue(total <= b.limit() && ihl + Icmp.HEADER <= total);
        Icmp.type(b, ihl);
        Icmp.identifier(b, ihl);
        Icmp.sequence(b, ihl);
    }
}
