package io.rsock.packet.inject;

import io.rsock.api.TransportException;
import io.rsock.packet.LinuxOnly;
import io.rsock.packet.sys.LibC;
import io.rsock.packet.sys.RawSendBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux injection through {@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)} and
 * {@code socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)}, each of which implies a caller's header
 * ({@code IP_HDRINCL}, {@code IPV6_HDRINCL}): the caller's IPv4 or IPv6 header goes out as is, and
 * the kernel still routes it, resolves the neighbour (ARP, NDP), applies NAT (NAT66 too) and fills in
 * the IPv4 header checksum. Each packet goes to the socket of its version nibble. Sends never block
 * ({@code MSG_DONTWAIT}); a full buffer is a counted drop, as for UDP. A kernel without IPv6 gives
 * no IPv6 socket: IPv6 packets are then counted failures, IPv4 ones go on.
 */
@LinuxOnly
public final class RawSocketInjector implements PacketInjector {
    private static final Logger log = LoggerFactory.getLogger(RawSocketInjector.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int fd;
    /** The IPv6 socket, or -1 when this kernel has no IPv6. */
    private final int fd6;
    /** sendto's destinations, IPv4 then IPv6, per sending thread so sends need no lock. */
    private final ThreadLocal<ByteBuffer[]> destinations = ThreadLocal.withInitial(RawSocketInjector::newSockaddrs);
    /** sendmmsg's scratch per family, per sending thread. */
    private final ThreadLocal<RawSendBatch[]> batches = ThreadLocal.withInitial(
            () -> new RawSendBatch[] {new RawSendBatch(4), new RawSendBatch(6)});
    /** Sends in progress: close waits for them, so the fd number is never reused under a send. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder bufferFull = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;
    private volatile long nextErrorLog;

    private RawSocketInjector(int fd, int fd6) {
        this.fd = fd;
        this.fd6 = fd6;
    }

    /** Opens the raw sockets; needs root or {@code cap_net_raw}. */
    public static RawSocketInjector open() throws TransportException {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_INET, LibC.SOCK_RAW, LibC.IPPROTO_RAW);
        } catch (LinkageError e) {
            throw new TransportException("raw sockets are not available on this system (" + e.getMessage() + "); use the pcap injector", e);
        }
        if (fd < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EPERM || errno == LibC.EACCES) {
                throw new TransportException("cannot open a raw socket: raw sockets need root or cap_net_raw "
                        + "(setcap cap_net_raw,cap_net_admin+ep on the java binary)");
            }
            throw new TransportException("cannot open a raw socket: " + Errno.describe(errno));
        }
        int fd6 = LibC.socket(LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_RAW);
        if (fd6 < 0) {
            log.info("no raw IPv6 socket ({}): IPv6 peers cannot be reached on this host", Errno.describe(LibC.errno()));
        }
        return new RawSocketInjector(fd, fd6);
    }

    private static ByteBuffer[] newSockaddrs() {
        ByteBuffer[] sa = new ByteBuffer[2];
        sa[0] = ByteBuffer.allocateDirect(RawSendBatch.SOCKADDR_IN).order(ByteOrder.nativeOrder());
        sa[0].putShort(0, (short) LibC.AF_INET); // the family is host order; the port stays 0 (raw)
        sa[1] = ByteBuffer.allocateDirect(RawSendBatch.SOCKADDR_IN6).order(ByteOrder.nativeOrder());
        sa[1].putShort(0, (short) LibC.AF_INET6); // flow info and scope id stay 0
        return sa;
    }

    @Override
    public boolean send(ByteBuffer packet) {
        inFlight.incrementAndGet();
        try {
            int length = packet.remaining();
            boolean v6 = length > 0 && (packet.get(packet.position()) & 0xF0) == 0x60;
            if (closed || length < (v6 ? 40 : 20) || v6 && fd6 < 0) {
                if (v6 && fd6 < 0) {
                    noteFailure(LibC.EAFNOSUPPORT);
                }
                return false;
            }
            ByteBuffer sa = destinations.get()[v6 ? 1 : 0];
            // The address is in network order, like the header's destination field: its bytes as they are.
            int dst = packet.position() + (v6 ? 24 : 16);
            int at = v6 ? 8 : 4;
            for (int i = 0; i < (v6 ? 16 : 4); i++) {
                sa.put(at + i, packet.get(dst + i));
            }
            long sent = LibC.sendto(v6 ? fd6 : fd, packet, length, LibC.MSG_DONTWAIT, sa, sa.capacity());
            if (sent == length) {
                return true;
            }
            noteFailure(sent < 0 ? LibC.errno() : LibC.EMSGSIZE);
            return false;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Sends with one {@code sendmmsg} per {@link RawSendBatch#CAPACITY} packets; a packet the kernel
     * refuses is counted and skipped, and the rest still go.
     */
    @Override
    public int send(ByteBuffer[] packets, int count) {
        if (count == 1) {
            return send(packets[0]) ? 1 : 0;
        }
        inFlight.incrementAndGet();
        try {
            if (closed) {
                return 0;
            }
            RawSendBatch[] both = batches.get();
            int sent = 0;
            int i = 0;
            while (i < count) {
                // A run of packets of one family goes in one call (a conn sends only one family).
                RawSendBatch batch = both[(packets[i].get(packets[i].position()) & 0xF0) == 0x60 ? 1 : 0];
                batch.clear();
                while (i < count && batch.fits(packets[i])) {
                    if (packets[i].remaining() >= (batch.version() == 6 ? 40 : 20)) {
                        batch.add(packets[i]);
                    }
                    i++;
                }
                if (batch.size() == 0) { // one too large for a slot, or empty: alone, the way send does it
                    sent += send(packets[i++]) ? 1 : 0;
                    continue;
                }
                sent += batch.version() == 6 && fd6 < 0 ? 0 : flush(batch, batch.version() == 6 ? fd6 : fd);
            }
            return sent;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private int flush(RawSendBatch batch, int socket) {
        int sent = 0;
        int first = 0;
        while (first < batch.size()) {
            int n = batch.sendFrom(socket, first, LibC.MSG_DONTWAIT);
            if (n > 0) {
                sent += n;
                first += n;
            } else {
                noteFailure(n < 0 ? LibC.errno() : LibC.EAGAIN);
                first++; // that one is dropped; the others may still fit
            }
        }
        return sent;
    }

    private void noteFailure(int errno) {
        if (errno == LibC.EAGAIN || errno == LibC.ENOBUFS) {
            bufferFull.increment();
            return;
        }
        failed.increment();
        long now = System.nanoTime();
        if (now - nextErrorLog >= 0) { // at most one line per interval, never one per packet
            nextErrorLog = now + LOG_INTERVAL_NANOS;
            log.warn("raw send failed: {} ({} failures so far)", Errno.describe(errno), failed.sum());
        }
    }

    /** Packets dropped because the socket buffer was full (EAGAIN/ENOBUFS). */
    public long bufferFullDrops() {
        return bufferFull.sum();
    }

    /** Packets the kernel refused for another reason (no route, too big, EPERM by a firewall...). */
    public long failures() {
        return failed.sum();
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        LibC.close(fd);
        if (fd6 >= 0) {
            LibC.close(fd6);
        }
    }
}
