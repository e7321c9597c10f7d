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
 * Linux injection through {@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, which implies
 * {@code IP_HDRINCL}: the caller's IPv4 header goes out as is, and the kernel still routes it,
 * resolves the neighbour, applies NAT and fills in the header checksum. Sends never block
 * ({@code MSG_DONTWAIT}); a full buffer is a counted drop, as for UDP.
 */
@LinuxOnly
public final class RawSocketInjector implements PacketInjector {
    private static final Logger log = LoggerFactory.getLogger(RawSocketInjector.class);
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int fd;
    /** sendto's destination, per sending thread so sends need no lock. */
    private final ThreadLocal<ByteBuffer> destination = ThreadLocal.withInitial(RawSocketInjector::newSockaddr);
    /** sendmmsg's scratch, per sending thread. */
    private final ThreadLocal<RawSendBatch> batches = ThreadLocal.withInitial(RawSendBatch::new);
    /** Sends in progress: close waits for them, so the fd number is never reused under a send. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder bufferFull = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;
    private volatile long nextErrorLog;

    private RawSocketInjector(int fd) {
        this.fd = fd;
    }

    /** Opens the raw socket; needs root or {@code cap_net_raw}. */
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
        return new RawSocketInjector(fd);
    }

    private static ByteBuffer newSockaddr() {
        ByteBuffer sa = ByteBuffer.allocateDirect(SOCKADDR_IN_SIZE).order(ByteOrder.nativeOrder());
        sa.putShort(0, (short) LibC.AF_INET); // sin_family is host order; sin_port stays 0 (raw)
        return sa;
    }

    @Override
    public boolean send(ByteBuffer packet) {
        inFlight.incrementAndGet();
        try {
            int length = packet.remaining();
            if (closed || length < 20) {
                return false;
            }
            ByteBuffer sa = destination.get();
            // sin_addr is in network order, like the header's destination field: copy the 4 bytes as they are.
            int dst = packet.position() + 16;
            sa.put(4, packet.get(dst)).put(5, packet.get(dst + 1)).put(6, packet.get(dst + 2)).put(7, packet.get(dst + 3));
            long sent = LibC.sendto(fd, packet, length, LibC.MSG_DONTWAIT, sa, SOCKADDR_IN_SIZE);
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
            RawSendBatch batch = batches.get();
            int sent = 0;
            int i = 0;
            while (i < count) {
                batch.clear();
                while (i < count && batch.fits(packets[i])) {
                    if (packets[i].remaining() >= 20) {
                        batch.add(packets[i]);
                    }
                    i++;
                }
                if (batch.size() == 0) { // one too large for a slot: alone, the way send does it
                    sent += send(packets[i++]) ? 1 : 0;
                    continue;
                }
                sent += flush(batch);
            }
            return sent;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private int flush(RawSendBatch batch) {
        int sent = 0;
        int first = 0;
        while (first < batch.size()) {
            int n = batch.sendFrom(fd, first, LibC.MSG_DONTWAIT);
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
    }
}
