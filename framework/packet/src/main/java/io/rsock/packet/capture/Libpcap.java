package io.rsock.packet.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.rsock.api.TransportException;
import java.nio.Buffer;

/**
 * libpcap bound with JNA direct mapping. pcap4j's {@code PcapHandle} returns a new {@code byte[]}
 * per packet and hides its {@code pcap_t*}; calling {@code pcap_next_ex} ourselves and copying into
 * one reused buffer is what keeps the capture path allocation-free. Handles are {@link Pointer}s
 * (allocated once per handle); hot-path calls pass them without allocating.
 */
final class Libpcap {
    static final int PCAP_ERRBUF_SIZE = 256;
    static final int PCAP_D_IN = 1;
    static final int PCAP_NETMASK_UNKNOWN = 0xFFFFFFFF;
    static final int PCAP_ERROR_BREAK = -2;

    private static volatile boolean loaded;
    private static String loadedFrom;

    private Libpcap() {
    }

    /** Binds the natives once; afterwards a no-op. */
    static synchronized void load() throws TransportException {
        if (loaded) {
            return;
        }
        String lib = PcapLibraryLocator.resolve();
        try {
            Native.register(Libpcap.class, NativeLibrary.getInstance(lib));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new TransportException("libpcap not found (tried '" + lib + "'; searched " + PcapLibraryLocator.searchedPlaces()
                    + "): install it (Debian/Ubuntu: apt-get install libpcap0.8; Fedora: dnf install libpcap) or set -D"
                    + PcapLibraryLocator.PCAP4J_LIB_PROPERTY + "=/path/to/libpcap.so", e);
        }
        loadedFrom = lib;
        loaded = true;
    }

    static String loadedFrom() {
        return loadedFrom;
    }

    static native Pointer pcap_create(String source, byte[] errbuf);

    static native int pcap_set_snaplen(Pointer p, int snaplen);

    static native int pcap_set_promisc(Pointer p, int promisc);

    static native int pcap_set_timeout(Pointer p, int millis);

    static native int pcap_set_immediate_mode(Pointer p, int immediate);

    static native int pcap_set_buffer_size(Pointer p, int bytes);

    static native int pcap_activate(Pointer p);

    static native int pcap_setdirection(Pointer p, int direction);

    static native int pcap_datalink(Pointer p);

    static native int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

    static native int pcap_setfilter(Pointer p, Pointer program);

    static native int pcap_setnonblock(Pointer p, int nonblock, byte[] errbuf);

    /** The handle's socket (Linux) or device descriptor, -1 where there is none. */
    static native int pcap_fileno(Pointer p);

    static native void pcap_freecode(Pointer program);

    static native int pcap_next_ex(Pointer p, Pointer headerOut, Pointer dataOut);

    static native int pcap_sendpacket(Pointer p, Buffer frame, int size);

    static native void pcap_breakloop(Pointer p);

    static native void pcap_close(Pointer p);

    /** {@code struct pcap_stat}: three u_ints, ps_recv, ps_drop (the kernel's ring was full), ps_ifdrop. */
    static native int pcap_stats(Pointer p, Pointer stat);

    static native String pcap_geterr(Pointer p);

    static native String pcap_statustostr(int status);

    static native String pcap_lib_version();
}
