package io.rsock.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.TransportException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options PacketLayer.open takes, and how the path and the injector are named on the command line. */
class PacketLayerOptionsTest {
    @Test
    void defaultsAreTheOriginalsCaptureTimeoutAndThePlatformsPath() {
        PacketLayerOptions o = PacketLayerOptions.defaults();
        assertEquals(10, o.captureTimeoutMillis());
        assertEquals(PacketPath.platformDefault(), o.path());
        assertEquals(InjectorKind.platformDefault(), o.injector());
        assertEquals(null, o.device());
    }

    @Test
    void withersChangeOneField() {
        PacketLayerOptions o = PacketLayerOptions.defaults().withDevice("c0").withInjector(InjectorKind.PCAP).withCaptureTimeoutMillis(5);
        assertEquals("c0", o.device());
        assertEquals(InjectorKind.PCAP, o.injector());
        assertEquals(5, o.captureTimeoutMillis());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PacketLayerOptions.defaults().withCaptureTimeoutMillis(0));
        assertThrows(IllegalArgumentException.class, () -> PacketLayerOptions.defaults().withInjector(null));
        assertThrows(IllegalArgumentException.class,
                () -> PacketLayerOptions.defaults().withPath(PacketPath.PORTABLE).withInjector(InjectorKind.RAW));
    }

    @Test
    void injectorNames() {
        assertEquals(InjectorKind.RAW, InjectorKind.parse("raw"));
        assertEquals(InjectorKind.PCAP, InjectorKind.parse(" PCAP "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InjectorKind.parse("tap"));
        assertEquals("injector must be 'raw' or 'pcap', not 'tap'", e.getMessage());
    }

    @Test
    void packetPortableChoosesThePortablePathAndItsPcapInjector() throws Exception {
        PacketLayerOptions o = PacketLayerOptions.defaults().withOptions(Map.of("packet.portable", "true"));
        assertEquals(PacketPath.PORTABLE, o.path());
        assertEquals(InjectorKind.PCAP, o.injector());
        assertEquals(PacketPath.PORTABLE, PacketPath.forOptions(Map.of("packet.portable", "yes")));
        assertEquals(PacketPath.platformDefault(), PacketPath.forOptions(Map.of()));
    }

    @Test
    void theKeysAreDeclaredAndBadValuesNameTheirKey() {
        assertEquals(java.util.Set.of("packet.portable", "packet.injector"), PacketLayerOptions.KEYS.keySet());
        TransportException notBool = assertThrows(TransportException.class,
                () -> PacketLayerOptions.defaults().withOptions(Map.of("packet.portable", "maybe")));
        assertTrue(notBool.getMessage().contains("packet.portable") && notBool.getMessage().contains("true or false"), notBool.getMessage());
        TransportException rawOnPortable = assertThrows(TransportException.class,
                () -> PacketLayerOptions.defaults().withOptions(Map.of("packet.portable", "true", "packet.injector", "raw")));
        assertTrue(rawOnPortable.getMessage().contains("pcap only"), rawOnPortable.getMessage());
        TransportException badInjector = assertThrows(TransportException.class,
                () -> PacketLayerOptions.defaults().withOptions(Map.of("packet.injector", "tap")));
        assertTrue(badInjector.getMessage().startsWith("--opt packet.injector: "), badInjector.getMessage());
    }
}
