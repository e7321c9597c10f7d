package io.rsock.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.codec.Ipv4.Captured;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What a raw transport checks first of a captured packet, on a real capture: whole, a fragment, or not its. */
class Ipv4CheckTest {
    private final byte[] request = Vectors.load("icmp-echo.hex").get("request");

    @Test
    void aWholePacketOfTheProtocolIsWholeAndOfAnotherIsNot() {
        assertEquals(Captured.WHOLE, Ipv4.check(Vectors.at(request, 5), 5, 1));
        assertEquals(Captured.NOT_WHOLE, Ipv4.check(Vectors.at(request, 5), 5, 6), "ICMP, not TCP");
    }

    @Test
    void cutOrFragmentedPacketsAreSaidSo() {
        ByteBuffer cut = Vectors.at(request, 0);
        cut.limit(request.length - 1);
        assertEquals(Captured.NOT_WHOLE, Ipv4.check(cut, 0, 1), "shorter than its total length");
        for (int flagsAndOffset : new int[] {0x2000, 0x0001, 0x6000}) {
            ByteBuffer b = Vectors.at(request, 0);
            b.putShort(6, (short) flagsAndOffset);
            assertEquals(Captured.FRAGMENT, Ipv4.check(b, 0, 1), Integer.toHexString(flagsAndOffset));
        }
        ByteBuffer dontFragment = Vectors.at(request, 0);
        dontFragment.putShort(6, (short) Ipv4.DONT_FRAGMENT);
        assertEquals(Captured.WHOLE, Ipv4.check(dontFragment, 0, 1), "DF is no fragment");
    }
}
