package io.rsock.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortListTest {
    @Test
    void parsesTheOriginalsForms() {
        assertArrayEquals(new int[] {10001, 10010}, PortList.parse("10001,10010").ports());
        assertEquals(10, PortList.parse("10001-10010").size());
        assertEquals(12, PortList.parse("80,443,10001-10010").size());
        assertEquals(10, PortList.parse(PortList.DEFAULT).size());
    }

    @Test
    void sortsAndFoldsDuplicates() {
        PortList p = PortList.parse("443,80,80,81-82,82");
        assertArrayEquals(new int[] {80, 81, 82, 443}, p.ports());
        assertEquals("80-82,443", p.toString());
        assertEquals(p, PortList.parse(p.toString()));
    }

    @Test
    void edgesOfTheRange() {
        assertArrayEquals(new int[] {1, 65535}, PortList.parse("1,65535").ports());
        assertEquals(65535, PortList.parse("1-65535").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "0", "1-", "-5", "10010-10001", "", "80,,81", "80, 81", "a", "1-2-3", "999999999999",
        "80,", "65536", "1--2"})
    void rejectsWithAReason(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortList.parse(spec));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void messagesNameTheProblem() {
        assertEquals("port 70000 is out of range 1-65535",
                assertThrows(IllegalArgumentException.class, () -> PortList.parse("70000")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortList.parse("10010-10001"))
                .getMessage().contains("backwards"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortList.parse("80, 81"))
                .getMessage().contains("white space"));
    }

    @Test
    void aSetOfPortsIsSpelledAsTheFlagIs() {
        assertEquals("10001-10004,10008", PortList.of(List.of(10008, 10003, 10001, 10002, 10004, 10003)).toString());
        assertEquals("80", PortList.of(Set.of(80)).toString());
        assertEquals("", PortList.of(Set.of()).toString());
    }
}
