package io.rsock.netlab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a bounded, paced burst of numbered UDP datagrams to an echo server, over one or several
 * flows (each its own socket, so its own source port), and checks every reply byte for byte: right
 * content, right flow. Prints a {@link ProbeResult} as one JSON line and exits.
 *
 * <pre>java -cp rsock-netlab.jar io.rsock.netlab.UdpProbe --target 10.201.2.2:9999 --count 10000 --size 1200
 *      [--rate 20000] [--flows 1] [--wait-ms 2000]</pre>
 *
 * <p>A datagram holds {@code "rsPB"}, its flow, its sequence number, its send time, then bytes that
 * are a function of those, so a reply cut, altered, mixed with another or sent to the wrong flow is
 * caught. Sending is paced to {@code --rate} datagrams per second in total, so a burst measures the
 * path, not the probe.
 */
public final class UdpProbe {
    static final int MAGIC = 0x72735042; // "rsPB"
    static final int HEADER = 20;

    private final DatagramChannel[] flows;
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

    private UdpProbe(DatagramChannel[] flows, int count, int size) {
        this.flows = flows;
        this.count = count;
        this.size = size;
        this.seen = new BitSet(count);
        this.rttNanos = new long[count];
    }

    /** The command line of a probe run (see the class comment for the options), with this JVM's class path. */
    public static List<String> command(String target, int count, int size, int rate, int flows, int waitMs) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(UdpProbe.class.getName()));
        cmd.addAll(List.of("--target", target, "--count", "" + count, "--size", "" + size, "--rate", "" + rate,
                "--flows", "" + flows, "--wait-ms", "" + waitMs));
        return cmd;
    }

    /** Runs a probe in {@code side}'s namespace of {@code net} and returns what it measured. */
    public static ProbeResult run(TestNetwork net, Side side, String target, int count, int size, int rate, int flows, int waitMs) {
        return ProbeResult.parse(net.run(side, command(target, count, size, rate, flows, waitMs).toArray(String[]::new)));
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        InetSocketAddress to = Args.hostPort(a.value("--target", "127.0.0.1:9999"));
        int count = a.intValue("--count", 10_000);
        int size = Math.max(HEADER, a.intValue("--size", 1200));
        int rate = a.intValue("--rate", 20_000);
        int nflows = Math.max(1, a.intValue("--flows", 1));
        int waitMs = a.intValue("--wait-ms", 2000);
        DatagramChannel[] flows = new DatagramChannel[nflows];
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < nflows; i++) {
                flows[i] = DatagramChannel.open();
                flows[i].setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                flows[i].setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                flows[i].connect(to);
                flows[i].configureBlocking(false);
                flows[i].register(selector, SelectionKey.OP_READ, i);
            }
            System.out.println(new UdpProbe(flows, count, size).run(selector, rate, waitMs).toJson());
        } finally {
            for (DatagramChannel ch : flows) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
    }

    private ProbeResult run(Selector selector, int rate, int waitMs) throws InterruptedException {
        Thread receiver = new Thread(() -> receive(selector), "probe-receive");
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
            } catch (IOException e) {
                // a full or failing socket loses this datagram like the path would
            }
        }
        long endOfSend = System.nanoTime();
        lastReply = endOfSend;
        // Wait for the stragglers: until all are back, or nothing came back for waitMs.
        while (received() < sent && System.nanoTime() - lastReply < waitMs * 1_000_000L) {
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

    private void receive(Selector selector) {
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
        } catch (IOException e) {
            System.err.println("probe receive stopped: " + e);
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
