package io.rsock.packet;

import com.sun.jna.Platform;

/** How packets are sent: the choice behind {@code PacketLayerOptions.injector}. */
public enum InjectorKind {
    /** A raw {@code IP_HDRINCL} socket (Linux): the kernel routes, resolves neighbours and NATs. */
    RAW,
    /** Link-layer frames through {@code pcap_sendpacket}: the portable fallback. */
    PCAP;

    /** RAW on Linux, PCAP elsewhere. */
    public static InjectorKind platformDefault() {
        return Platform.isLinux() ? RAW : PCAP;
    }

    /** Parses {@code "raw"} or {@code "pcap"} (any case). */
    public static InjectorKind parse(String text) {
        for (InjectorKind k : values()) {
            if (k.name().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("injector must be 'raw' or 'pcap', not '" + text + "'");
    }
}
