package io.rsock.packet.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.rsock.api.TransportException;
import io.rsock.packet.sys.MovablePointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One live libpcap handle on a device. Not thread-safe by design: the capture thread owns it
 * (filter changes included), and the L2 injector opens its own. Closing it while another thread
 * sits in {@link #next} would free memory under libpcap's feet, so only the owner closes it,
 * and {@link #wakeUp()} and {@link #close()} exclude each other.
 */
public final class LiveCapture implements AutoCloseable {
    /** {@link #next} result: the read timeout expired with no packet. */
    public static final int TIMEOUT = 0;
    /** {@link #next} result: {@link #wakeUp()} interrupted the read. */
    public static final int WOKEN = -2;
    /** {@link #next} result: libpcap reported an error; {@link #lastError()} says which. */
    public static final int ERROR = -1;
    /** {@link #next} result: the packet was longer than the snaplen or {@code dst}, so it is not whole. */
    public static final int TRUNCATED = -3;

    private static final int SIZEOF_TIMEVAL = 2 * Native.LONG_SIZE;

    private final String device;
    private final Pointer handle;
    private final int datalink;
    private final Memory outPointers = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer headerOut = outPointers;
    private final Pointer dataOut = outPointers.share(Native.POINTER_SIZE);
    private final MovablePointer header = new MovablePointer();
    private final MovablePointer data = new MovablePointer();
    private final Memory stat = new Memory(3 * 4);
    /** Set on the Linux path: later filters replace the kernel's in one step (see {@link SocketFilterSwap}). */
    private SocketFilterSwap swap;
    private boolean closed;

    private LiveCapture(String device, Pointer handle) {
        this.device = device;
        this.handle = handle;
        this.datalink = Libpcap.pcap_datalink(handle);
    }

    /**
     * Opens and activates a capture.
     *
     * @param snaplen bytes kept per packet
     * @param ringBytes the kernel ring's size ({@link CaptureSizing})
     * @param timeoutMillis read timeout: how long {@link #next} waits at most
     * @param inboundOnly capture only packets the device receives, so our own injected packets
     *     are not seen again (ignored where libpcap cannot do it)
     */
    public static LiveCapture open(String device, int snaplen, int ringBytes, int timeoutMillis, boolean inboundOnly) throws TransportException {
        Libpcap.load();
        byte[] errbuf = new byte[Libpcap.PCAP_ERRBUF_SIZE];
        Pointer p = Libpcap.pcap_create(device, errbuf);
        if (p == null) {
            throw new TransportException("cannot capture on " + device + ": " + cString(errbuf));
        }
        boolean ok = false;
        try {
            Libpcap.pcap_set_snaplen(p, snaplen);
            Libpcap.pcap_set_promisc(p, 0);
            Libpcap.pcap_set_timeout(p, timeoutMillis);
            // Without immediate mode the kernel batches packets into blocks and a lone packet can wait
            // for the block timeout: latency we exist to avoid.
            Libpcap.pcap_set_immediate_mode(p, 1);
            Libpcap.pcap_set_buffer_size(p, ringBytes);
            int status = Libpcap.pcap_activate(p);
            if (status < 0) {
                throw new TransportException(activationMessage(device, p, status));
            }
            if (inboundOnly) {
                // Best effort: where unsupported we see our own packets too and the demultiplexer
                // drops them as unmatched (they are addressed to the peer, not to us).
                Libpcap.pcap_setdirection(p, Libpcap.PCAP_D_IN);
            }
            LiveCapture c = new LiveCapture(device, p);
            ok = true;
            return c;
        } finally {
            if (!ok) {
                Libpcap.pcap_close(p);
            }
        }
    }

    private static String activationMessage(String device, Pointer p, int status) {
        String detail = Libpcap.pcap_statustostr(status) + ": " + Libpcap.pcap_geterr(p);
        if (status == -8 || detail.contains("ermission")) { // PCAP_ERROR_PERM_DENIED
            return "cannot capture on " + device + " (" + detail + "): capture needs root or "
                    + "'setcap cap_net_raw,cap_net_admin+ep' on the java binary";
        }
        if (status == -5 || status == -9) { // PCAP_ERROR_NO_SUCH_DEVICE, PCAP_ERROR_IFACE_NOT_UP
            return "cannot capture on " + device + " (" + detail + "): check the device name and that it is up ('ip link')";
        }
        return "cannot capture on " + device + ": " + detail;
    }

    /** The libpcap DLT_ value of the device. */
    public int datalink() {
        return datalink;
    }

    public String device() {
        return device;
    }

    /**
     * Linux: install every filter by swapping the socket's program in one step instead of through
     * libpcap, which refuses every packet for a moment on each change. Call before the first
     * {@link #setFilter}: libpcap then never filters in userland with a program of its own (after
     * each of its changes it re-filters the next ring block with the program it holds, which would
     * be stale after a swap), and {@link #discardPending} throws away what the ring caught before.
     */
    public void swapFiltersInPlace() {
        swap = SocketFilterSwap.of(handle, datalink);
    }

    /**
     * Reads and drops what the capture holds now (packets caught before the first filter), for at
     * most {@code maxPackets}; returns how many.
     */
    public int discardPending(int maxPackets) {
        byte[] errbuf = new byte[Libpcap.PCAP_ERRBUF_SIZE];
        if (Libpcap.pcap_setnonblock(handle, 1, errbuf) != 0) {
            return 0; // a read would wait for the next packet: leave them to the demultiplexer's count
        }
        int n = 0;
        while (n < maxPackets && Libpcap.pcap_next_ex(handle, headerOut, dataOut) == 1) {
            n++;
        }
        Libpcap.pcap_setnonblock(handle, 0, errbuf);
        return n;
    }

    /** Compiles and installs a BPF filter in the kernel; the previous one stays on failure. */
    public void setFilter(String expression) throws TransportException {
        Memory program = new Memory(2L * Native.POINTER_SIZE); // struct bpf_program
        program.clear();
        if (Libpcap.pcap_compile(handle, program, expression, 1, Libpcap.PCAP_NETMASK_UNKNOWN) != 0) {
            throw new TransportException("bad capture filter '" + expression + "': " + Libpcap.pcap_geterr(handle));
        }
        try {
            if (swap != null) {
                if (swap.attach(program)) {
                    return;
                }
                swap = null; // libpcap's way from now on, so its own copy of the program stays the kernel's
            }
            if (Libpcap.pcap_setfilter(handle, program) != 0) {
                throw new TransportException("cannot install capture filter on " + device + ": " + Libpcap.pcap_geterr(handle));
            }
        } finally {
            Libpcap.pcap_freecode(program);
        }
    }

    /**
     * Waits up to the read timeout for one packet and copies it into {@code dst} from index 0.
     *
     * @return the number of bytes copied, or {@link #TIMEOUT}, {@link #WOKEN}, {@link #ERROR},
     *     {@link #TRUNCATED}
     */
    public int next(ByteBuffer dst) {
        // libpcap's Linux ring reader can take a packet and then report the break a wakeUp asked
        // for instead of it: a packet pointer set although the call says "woken" is that packet.
        dataOut.setPointer(0, null);
        int r = Libpcap.pcap_next_ex(handle, headerOut, dataOut);
        if (r != 1 && !(r == Libpcap.PCAP_ERROR_BREAK && readAddress(dataOut) != 0)) {
            return r == 0 ? TIMEOUT : r == Libpcap.PCAP_ERROR_BREAK ? WOKEN : ERROR;
        }
        header.moveTo(readAddress(headerOut));
        data.moveTo(readAddress(dataOut));
        int caplen = header.getInt(SIZEOF_TIMEVAL);
        if (caplen < header.getInt(SIZEOF_TIMEVAL + 4) || caplen > dst.capacity()) {
            return TRUNCATED; // struct pcap_pkthdr { timeval ts; u32 caplen; u32 len; }
        }
        dst.clear();
        CMemory.memcpy(dst, data, caplen);
        return caplen;
    }

    private static long readAddress(Pointer slot) {
        return Native.POINTER_SIZE == 8 ? slot.getLong(0) : slot.getInt(0) & 0xFFFFFFFFL;
    }

    /** Sends one link-layer frame from {@code frame}'s position, {@code length} bytes. */
    public boolean sendFrame(ByteBuffer frame, int length) {
        return Libpcap.pcap_sendpacket(handle, frame, length) == 0;
    }

    /**
     * Packets the kernel dropped since the handle opened because the capture ring was full (libpcap's
     * {@code ps_drop}, cumulative), or -1 when libpcap cannot tell. Call on the thread that reads.
     */
    public long kernelDrops() {
        if (Libpcap.pcap_stats(handle, stat) != 0) {
            return -1;
        }
        return stat.getInt(4) & 0xFFFF_FFFFL;
    }

    /** libpcap's message for the last failure on this handle. */
    public String lastError() {
        return Libpcap.pcap_geterr(handle);
    }

    /** Makes a blocked {@link #next} return {@link #WOKEN} soon; safe from any thread. */
    public synchronized void wakeUp() {
        if (!closed) {
            Libpcap.pcap_breakloop(handle);
        }
    }

    /** Closes the handle; only the owning thread may call this. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libpcap.pcap_close(handle);
        }
    }

    /** The libpcap version string, for the log line at start. */
    public static String libraryVersion() throws TransportException {
        Libpcap.load();
        return Libpcap.pcap_lib_version() + " from " + Libpcap.loadedFrom();
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
