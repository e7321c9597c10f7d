package io.rsock.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CounterKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which counters {@code rsock status} lists as drops: the declared ones, never a guess from a name. */
class DropReasonsTest {
    @Test
    void declaredDropsAndErrorsAreListedWithTheirWordsAndTrafficIsNot() {
        Counters counters = new Counters();
        counters.declare("xor.bad_datagrams", CounterKind.DROP, "datagrams that were not ours").add(2);
        counters.declare("xor.send_errors", CounterKind.ERROR, "sends the kernel refused");
        counters.declare("xor.drops_seen_upstream", CounterKind.TRAFFIC, "a traffic counter whose name says drop");
        counters.get("xor.bad_undeclared").add(9);

        Map<String, Long> drops = DropReasons.of(counters);
        assertEquals(2L, drops.get("xor.bad_datagrams"));
        assertEquals(0L, drops.get("xor.send_errors"), "an error costs frames too: listed");
        assertEquals(0L, drops.get("frame.bad_mac"), "the host's are always listed");
        assertFalse(drops.containsKey("xor.drops_seen_upstream"), "traffic is not a drop, whatever its name says");
        assertFalse(drops.containsKey("xor.bad_undeclared"), "an undeclared counter is not guessed to be a drop");

        Map<String, String> reasons = DropReasons.reasons(counters);
        assertEquals("datagrams that were not ours", reasons.get("xor.bad_datagrams"));
        assertTrue(reasons.get("frame.bad_mac").contains("authentication"));
        assertEquals(drops.keySet(), reasons.keySet(), "a sentence for every drop");
    }
}
