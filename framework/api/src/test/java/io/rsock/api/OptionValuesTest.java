package io.rsock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionValuesTest {
    @Test
    void durationsInEveryUnitAndPlainSeconds() throws Exception {
        assertEquals(Duration.ofMillis(250), OptionValues.duration(Optional.of("250ms"), "k", Duration.ZERO));
        assertEquals(Duration.ofSeconds(30), OptionValues.duration(Optional.of(" 30s "), "k", Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), OptionValues.duration(Optional.of("2M"), "k", Duration.ZERO));
        assertEquals(Duration.ofHours(1), OptionValues.duration(Optional.of("1h"), "k", Duration.ZERO));
        assertEquals(Duration.ofSeconds(7), OptionValues.duration(Optional.of("7"), "k", Duration.ZERO));
        assertEquals(Duration.ofSeconds(9), OptionValues.duration(Optional.empty(), "k", Duration.ofSeconds(9)));
    }

    @Test
    void badValuesNameTheOptionAndWhatWasExpected() {
        TransportException e = assertThrows(TransportException.class,
                () -> OptionValues.duration(Optional.of("soon"), "udp.idle", Duration.ZERO));
        assertTrue(e.getMessage().contains("udp.idle") && e.getMessage().contains("soon"), e.getMessage());
        assertThrows(TransportException.class, () -> OptionValues.duration(Optional.of("0s"), "k", Duration.ZERO));
        assertThrows(TransportException.class, () -> OptionValues.duration(Optional.of("99999999999999999h"), "k", Duration.ZERO));
        assertThrows(TransportException.class, () -> OptionValues.integer(Optional.of("70000"), "mtu", 1500, 29, 65535));
        assertThrows(TransportException.class, () -> OptionValues.integer(Optional.of("x"), "mtu", 1500, 29, 65535));
        assertThrows(TransportException.class, () -> OptionValues.bool(Optional.of("maybe"), "k", true));
    }

    @Test
    void integersAndBooleans() throws Exception {
        assertEquals(1400, OptionValues.integer(Optional.of("1400"), "mtu", 1500, 29, 65535));
        assertEquals(1500, OptionValues.integer(Optional.empty(), "mtu", 1500, 29, 65535));
        assertFalse(OptionValues.bool(Optional.of("no"), "k", true));
        assertTrue(OptionValues.bool(Optional.of("YES"), "k", false));
    }
}
