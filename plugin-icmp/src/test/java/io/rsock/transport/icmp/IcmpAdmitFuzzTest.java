package io.rsock.transport.icmp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Role;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ipv4;
import io.rsock.testkit.TestTransportContext;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The first thing the ICMP transport does with a captured packet, fed what anyone on the Internet
 * may send: it never throws, and what it admits can be read within the packet's bounds.
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
        int ihl = Ipv4.headerLength(b, 0);
        int total = Ipv4.totalLength(b, 0);
        assertTrue(total <= b.limit() && ihl + Icmp.HEADER <= total);
        Icmp.type(b, ihl);
        Icmp.identifier(b, ihl);
        Icmp.sequence(b, ihl);
    }
}
