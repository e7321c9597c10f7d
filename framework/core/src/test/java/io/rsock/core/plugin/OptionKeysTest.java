package io.rsock.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.ConnTransport;
import io.rsock.core.StubTransport;
import io.rsock.core.config.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mistyped --opt key is a usage error naming it and every known key; an old plugin's prefix passes with a warning. */
class OptionKeysTest {
    private static final Map<String, String> LAYER = Map.of("packet.portable", "the portable path");

    /** A transport that declares {@code options}, or none at all (as one built against the old rsock-api). */
    private static LoadedTransport transport(String type, Map<String, String> options) {
        ConnTransport t = new StubTransport() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Map<String, String> options() {
                return options == null ? super.options() : options;
            }
        };
        return new LoadedTransport(t, "plugin-" + type, "1.0");
    }

    private final List<LoadedTransport> loaded = List.of(
            transport("tcp", Map.of("tcp.keepalive", "keepalive", "tcp.rst-rate", "rsts")),
            transport("udp", Map.of("udp.idle", "idle", "mtu", "mtu")));

    @Test
    void declaredKeysOfAnyLoadedTransportAndOfTheLayersPass() {
        assertEquals(List.of(), OptionKeys.check(List.of("tcp.keepalive", "mtu", "packet.portable"), loaded, LAYER));
    }

    @Test
    void aMistypedKeyIsAUsageErrorNamingItAndTheKnownKeys() {
        UsageException e = assertThrows(UsageException.class, () -> OptionKeys.check(List.of("tcp.keepalive", "tcp.keepalvie"), loaded, LAYER));
        assertEquals("--opt tcp.keepalvie: no loaded transport or layer reads this key; known keys: mtu, packet.portable, "
                + "tcp.keepalive, tcp.rst-rate, udp.idle", e.getMessage());
        assertThrows(UsageException.class, () -> OptionKeys.check(List.of("bogus.key"), loaded, LAYER));
    }

    @Test
    void aTransportThatDeclaresNothingVouchesForItsPrefixWithAWarning() {
        List<LoadedTransport> withOld = List.of(loaded.get(0), transport("dns", null));
        List<String> warnings = OptionKeys.check(List.of("dns.domain", "tcp.keepalive"), withOld, LAYER);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("--opt dns.domain: passed to transport dns (plugin plugin-dns) unchecked"), warnings.get(0));
        assertThrows(UsageException.class, () -> OptionKeys.check(List.of("dnsx.domain"), withOld, LAYER));
    }
}
