package io.rsock.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The options PacketLayer.open takes, and how the injector is named on the command line. */
class PacketLayerOptionsTest {
    @Test
    void defaultsAreTheOriginalsCaptureTimeoutAndThePlatformInjector() {
        PacketLayerOptions o = PacketLayerOptions.defaults();
        assertEquals(10, o.captureTimeoutMillis());
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
    }

    @Test
    void injectorNames() {
        assertEquals(InjectorKind.RAW, InjectorKind.parse("raw"));
        assertEquals(InjectorKind.PCAP, InjectorKind.parse(" PCAP "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InjectorKind.parse("tap"));
        assertEquals("injector must be 'raw' or 'pcap', not 'tap'", e.getMessage());
    }
}
