package io.rsock.packet.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing {@code /proc/net/arp}, where the pcap injector finds the next hop's MAC. */
class NeighbourTableTest {
    static final String PROC_NET_ARP = """
            IP address       HW type     Flags       HW address            Mask     Device
            10.201.1.1       0x1         0x2         02:fc:00:00:00:05     *        c0
            10.201.1.9       0x1         0x0         00:00:00:00:00:00     *        c0
            192.0.2.1        0x1         0x2         aa:bb:cc:dd:ee:ff     *        eth0
            not an entry
            """;

    @Test
    void completeEntriesByDeviceAndAddress() {
        NeighbourTable t = NeighbourTable.parse(PROC_NET_ARP);
        assertArrayEquals(new byte[] {2, (byte) 0xfc, 0, 0, 0, 5}, t.lookup("c0", "10.201.1.1").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, (byte) 0xff},
                t.lookup("eth0", "192.0.2.1").orElseThrow());
    }

    @Test
    void incompleteOrForeignEntriesAreNotFound() {
        NeighbourTable t = NeighbourTable.parse(PROC_NET_ARP);
        assertTrue(t.lookup("c0", "10.201.1.9").isEmpty(), "an unresolved entry has no usable MAC");
        assertTrue(t.lookup("eth0", "10.201.1.1").isEmpty(), "the entry belongs to another device");
    }
}
