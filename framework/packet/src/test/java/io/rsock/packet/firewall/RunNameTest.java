package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The run's table/chain name carries its pid, and nothing else is taken for one. */
class RunNameTest {
    @Test
    void namesCarryThePid() {
        assertEquals("rsock_4242", RunName.of(4242, 0));
        assertEquals("rsock_4242_2", RunName.of(4242, 2));
        assertEquals(OptionalLong.of(4242), RunName.pidOf("rsock_4242"));
        assertEquals(OptionalLong.of(4242), RunName.pidOf("rsock_4242_2"));
        assertEquals("rsock:4242_2", RunName.tag("rsock_4242_2"));
    }

    @Test
    void othersNamesAreNotOurs() {
        for (String name : new String[] {"rsock", "rsock_", "rsock_x", "rsockd_1", "my_rsock_1", "rsock_1_", "rsock_99999999999999999999"}) {
            assertTrue(RunName.pidOf(name).isEmpty(), name);
        }
    }
}
