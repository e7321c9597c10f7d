package io.rsock.netlab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a bounded, paced burst of numbered UDP datagrams to an echo server, over one or several
 * flows (each its own socket, so its own source port), and checks every reply byte for byte: right
 * content, right flow. Runs in this JVM, its sockets opened in a lab namespace
 * ({@link TestNetwork#inside}) or in this JVM's own; several probes can run at once.
 *
 * <p>A datagram holds {@code "rsPB"}, its flow, its sequence number, its send time, then bytes that
 * are a function of those, so a reply cut, altered, mixed with another or sent to the wrong flow is
 * caught. Sending is paced to {@code rate} datagrams per second in total, so a burst measures the
 * path, not the probe. A run lasts {@code count / rate} seconds, then waits for stragglers until
 * {@code waitMs} pass without a reply, {@value #MAX_WAIT_SECONDS} s at most.
 */
public final class UdpProbe implements AutoCloseable {
    static final int MAGIC = 0x72735042; // "rsPB"
    static final int HEADER = 20;
    static final int MAX_WAIT_SECONDS = 60;

    private final DatagramChannel[] flows;
    private final Selector selector;
    private final int count;
    private final int size;
    private final BitSet seen;
    private final long[] rttNanos;
    private int received;
    private long corrupt;
    private long misrouted;
    private long duplicates;
    private volatile long lastReply;
    private long firstReply;
    private long maxGapNanos;

    private UdpProbe(DatagramChannel[] flows, int count, int size) throws IOException {
        this.flows = flows;
        this.count = count;
        this.size = size;
        this.seen = new BitSet(count);
        this.rttNanos = new long[count];
        this.selector = Selector.open();
        for (int i = 0; i < flows.length; i++) {
            flows[i].configureBlocking(false);
            flows[i].register(selector, SelectionKey.OP_READ, i);
        }
    }

    /**
     * Runs a probe from {@code side}'s namespace of {@code net} to {@code target} ({@code 10.0.0.1:9}
     * or {@code [fd00::1]:9}) and returns what it measured; closing the lab ends it early.
     */
    public static ProbeResult run(TestNetwork net, Side side, String target, int count, int size, int rate, int flows, int waitMs) {
        InetSocketAddress to = HostPort.parse(target);
        DatagramChannel[] channels = net.inside(side, () -> open(to, Math.max(1, flows)));
        return measure(channels, net, count, size, rate, waitMs);
    }

    /** Runs a probe from this JVM's own namespace (to an echo on loopback, say) and returns what it measured. */
    public static ProbeResult run(String target, int count, int size, int rate, int flows, int waitMs) {
        try {
            return measure(open(HostPort.parse(target), Math.max(1, flows)), null, count, size, rate, waitMs);
        } catch (IOException e) {
            throw new LabException("cannot open the probe's sockets to " + target + ": " + e.getMessage(), e);
        }
    }

    /** One connected socket per flow; all or none. */
    private static DatagramChannel[] open(InetSocketAddress to, int n) throws IOException {
        DatagramChannel[] flows = new DatagramChannel[n];
        try {
            for (int i = 0; i < n; i++) {
                flows[i] = DatagramChannel.open();
                flows[i].setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                flows[i].setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                flows[i].connect(to);
            }
            return flows;
        } catch (IOException e) {
            closeAll(flows);
            throw e;
        }
    }

    private static void closeAll(DatagramChannel[] flows) {
        for (DatagramChannel ch : flows) {
            Closing.quietly(ch);
        }
    }

    private static ProbeResult measure(DatagramChannel[] flows, TestNetwork lab, int count, int size, int rate, int waitMs) {
        UdpProbe probe;
        try {
            probe = new UdpProbe(flows, count, Math.max(HEADER, size));
        } catch (IOException e) {
            closeAll(flows);
            throw new LabException("cannot start a probe: " + e.getMessage(), e);
        }
        try (probe) {
            if (lab != null) {
                lab.closeWithLab(probe);
            }
            return probe.run(rate, waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("probe interrupted");
        } finally {
            if (lab != null) {
                lab.release(probe);
            }
        }
    }

    /** Closes its sockets: a probe still running stops sending and reports what it had. */
    @Override
    public void close() {
        closeAll(flows);
        Closing.quietly(selector);
    }

    private ProbeResult run(int rate, int waitMs) throws InterruptedException {
        Thread receiver = new Thread(this::receive, "probe-receive");
        receiver.setDaemon(true);
        receiver.start();
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        long start = System.nanoTime();
        long gap = 1_000_000_000L / Math.max(1, rate);
        long sent = 0;
        for (int seq = 0; seq < count; seq++) {
            long due = start + seq * gap;
            long now;
            // Sleep, never spin: on a 2-core machine a spinning probe would take a core from the tunnel
            // it measures. Sleeps overshoot by tens of microseconds; the absolute due times catch up
            // with short bursts, so the average rate holds.
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            int flow = seq % flows.length;
            fill(out, flow, seq, System.nanoTime(), size);
            try {
                if (flows[flow].write(out) > 0) {
                    sent++;
                }
            } catch (PortUnreachableException e) {
                // an ICMP error from an earlier datagram; this one is not sent, the path is measured as lossy
            } catch (ClosedChannelException e) {
                break; // closed with its lab
            } catch (IOException e) {
                // a full or failing socket loses this datagram like the path would
            }
        }
        long endOfSend = System.nanoTime();
        lastReply = endOfSend;
        // Wait for the stragglers: until all are back, or nothing came back for waitMs.
        long giveUp = endOfSend + TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
        while (received() < sent && System.nanoTime() - lastReply < waitMs * 1_000_000L && System.nanoTime() < giveUp
                && selector.isOpen()) {
            Thread.sleep(10);
        }
        receiver.interrupt();
        selector.wakeup();
        receiver.join(5000);
        synchronized (this) {
            long[] rtts = Arrays.copyOf(rttNanos, received);
            Arrays.sort(rtts);
            double seconds = Math.max(1e-9, (Math.max(lastReply, start + 1) - start) / 1e9);
            return new ProbeResult(sent, received, corrupt, misrouted, duplicates, received * (double) size * 8 / seconds / 1e6,
                    percentile(rtts, 0.50) / 1e3, percentile(rtts, 0.99) / 1e3, maxGapNanos / 1e6);
        }
    }

    private synchronized int received() {
        return received;
    }

    private void receive() {
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    int flow = (Integer) key.attachment();
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    while (true) {
                        in.clear();
                        int n;
                        try {
                            n = ch.read(in);
                        } catch (PortUnreachableException e) {
                            continue; // the echo is not there (yet); the datagram counts as lost
                        }
                        if (n <= 0) {
                            break;
                        }
                        in.flip();
                        check(in, flow, System.nanoTime());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed with its lab: the result counts what came back until then
        }
    }

    private synchronized void check(ByteBuffer in, int flow, long now) {
        if (firstReply == 0) {
            firstReply = now;
        } else {
            maxGapNanos = Math.max(maxGapNanos, now - lastReply);
        }
        lastReply = now;
        if (in.remaining() != size || in.getInt(0) != MAGIC) {
            corrupt++;
            return;
        }
        int sentFlow = in.getInt(4);
        int seq = in.getInt(8);
        long sentAt = in.getLong(12);
        if (seq < 0 || seq >= count || sentFlow < 0 || sentFlow >= flows.length || !patternMatches(in, sentFlow, seq)) {
            corrupt++;
        } else if (sentFlow != flow) {
            misrouted++;
        } else if (seen.get(seq)) {
            duplicates++;
        } else {
            seen.set(seq);
            rttNanos[received++] = now - sentAt;
        }
    }

    static void fill(ByteBuffer out, int flow, int seq, long now, int size) {
        out.clear();
        out.putInt(MAGIC).putInt(flow).putInt(seq).putLong(now);
        for (int i = HEADER; i < size; i++) {
            out.put(pattern(flow, seq, i));
        }
        out.flip();
    }

    static boolean patternMatches(ByteBuffer in, int flow, int seq) {
        for (int i = HEADER; i < in.limit(); i++) {
            if (in.get(i) != pattern(flow, seq, i)) {
                return false;
            }
        }
        return true;
    }

    private static byte pattern(int flow, int seq, int i) {
        return (byte) (seq * 31 + flow * 7 + i);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1)))];
    }
}
