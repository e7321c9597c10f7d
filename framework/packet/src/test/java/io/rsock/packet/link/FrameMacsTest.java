package io.rsock.packet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fixed table of MACs learned from frames: exact per address, bounded whatever arrives. */
class FrameMacsTest {
    @Test
    void anAddressGetsItsOwnMacAndNeverAnothersSlot() {
        FrameMacs t = new FrameMacs();
        t.put(0x0a000001, 0x0200_0000_0001L);
        t.put(0x0a000002, 0x0200_0000_0002L);
        assertEquals(0x0200_0000_0001L, t.get(0x0a000001));
        assertEquals(0x0200_0000_0002L, t.get(0x0a000002));
        assertEquals(MacAddress.NONE, t.get(0x0a000003), "never heard from");
        t.put(0x0a000001, 0x0200_0000_0099L);
        assertEquals(0x0200_0000_0099L, t.get(0x0a000001), "the newest frame wins");
    }

    @Test
    void theMixIsABijectionSoSlotAndTagNameOneAddress() {
        Random r = new Random(14);
        Set<Integer> addresses = new HashSet<>();
        Set<Integer> mixed = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            int a = r.nextInt();
            addresses.add(a);
            mixed.add(FrameMacs.mix(a));
        }
        assertEquals(addresses.size(), mixed.size(), "no two addresses mix to the same value");
        // Two addresses in one slot: the later takes it, and the earlier is honestly unknown, not answered with the other's MAC.
        int a = 0x0a000001;
        int slot = FrameMacs.mix(a) & 0xFFFF;
        int b = a + 1;
        while ((FrameMacs.mix(b) & 0xFFFF) != slot) {
            b++;
        }
        FrameMacs t = new FrameMacs();
        t.put(a, 0x0200_0000_000aL);
        t.put(b, 0x0200_0000_000bL);
        assertEquals(MacAddress.NONE, t.get(a));
        assertEquals(0x0200_0000_000bL, t.get(b));
    }

    @Test
    void aFloodFromSpoofedSourcesFillsSlotsAndNothingGrows() {
        FrameMacs t = new FrameMacs();
        Random r = new Random(7);
        int client = 0x0ac90201;
        for (int i = 0; i < 1_000_000; i++) {
            t.put(r.nextInt(), 0x0200_0000_0101L);
            if (i % 1000 == 0) {
                t.put(client, 0x0200_0000_0102L); // the real client's packet, between the spoofed ones
                assertEquals(0x0200_0000_0102L, t.get(client), "found right after its own frame");
            }
        }
    }

    @Test
    void ipv6SourcesKeepTheirWholeAddressAndAFloodCannotTakeAClientsMacForAnother() {
        FrameMacs6 t = new FrameMacs6();
        long prefix = 0xFD00_0201_0001_0000L;
        t.put(prefix, 2, 0x0200_0000_0002L);
        assertEquals(0x0200_0000_0002L, t.get(prefix, 2));
        assertEquals(MacAddress.NONE, t.get(prefix, 3), "never heard from");
        assertEquals(MacAddress.NONE, t.get(prefix + 1, 2), "another prefix");
        Random r = new Random(9);
        for (int i = 0; i < 500_000; i++) {
            long spoofed = r.nextLong();
            t.put(prefix, spoofed, 0x0200_0000_0101L); // a whole /64 to choose from
            long mac = t.get(prefix, 2);
            assertEquals(true, mac == MacAddress.NONE || mac == 0x0200_0000_0002L, "never another host's MAC");
            if (i % 1000 == 0) {
                t.put(prefix, 2, 0x0200_0000_0002L);
                assertEquals(0x0200_0000_0002L, t.get(prefix, 2), "found right after its own frame");
            }
        }
    }
}
