package io.rsock.testkit.memory;

import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketIO;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An IPv4 and IPv6 network in memory, for testing transports that build their own packets (fake
 * TCP, ICMP) without privileges, devices or timing noise. An endpoint has an address of either
 * family or one of each (dual stack).
 *
 * <pre>{@code
 * try (InMemoryPacketNetwork net = new InMemoryPacketNetwork()) {
 *     PacketIO server = net.endpoint(addr("10.0.0.2"), 1500);
 *     PacketIO client = net.endpoint(addr("10.0.0.1"), 1500);
 *     net.middlebox(natThatRewritesTheClient);   // optional
 *     net.dropNext(3);                            // lose the handshake's first packets
 *     ... TestTransportContext.builder().packets(server) ...
 * }
 * }</pre>
 *
 * <p>{@link PacketIO#send} copies the packet and queues it; one delivery thread per network (as the
 * host has one capture thread per device) takes packets in order, shows each to the {@link #tap},
 * applies the loss and duplication hooks and the {@link Middlebox}, and hands the result to the
 * endpoint owning its destination address, to the most specific registration whose
 * {@link io.rsock.api.packet.PacketFilter} matches (protocol; for TCP and UDP the ports, read as the
 * first two 16-bit words after the IP header; the source address; for ICMP the echo identifier when
 * the filter names one). Packets nobody takes, packets over the sender's MTU, packets that are not
 * IP and packets that find the queue full are counted and dropped, never thrown. A path can be
 * given a smaller MTU than the endpoints' ({@link #limitPath}), as a router's next link: packets
 * over it are dropped on the way, and {@link PacketIO#pathMtu} says so, as a router's "too big"
 * message would have.
 *
 * <p>Settings may change while packets flow. Receivers that throw are recorded in
 * {@link #receiverFailures()} and the network goes on.
 */
public final class InMemoryPacketNetwork implements AutoCloseable {
    /** Packets queued at most before {@code send} starts dropping, unless the constructor says otherwise. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    private static final ByteBuffer POISON = ByteBuffer.allocate(0);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Map<IpAddress, MemoryEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<IpAddress, Integer> pathLimits = new ConcurrentHashMap<>();
    private final AtomicLong tooBig = new AtomicLong();
    private final BlockingQueue<ByteBuffer> queue;
    private final Random random;
    private final Thread deliveryThread;
    private volatile boolean closed;

    private volatile double dropProbability;
    private volatile double duplicateProbability;
    private final AtomicInteger dropNext = new AtomicInteger();
    private final AtomicInteger duplicateNext = new AtomicInteger();
    private volatile Consumer<ByteBuffer> tap;
    private volatile Middlebox middlebox;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final FailureLog failures = new FailureLog();

    /** A network with {@link #DEFAULT_QUEUE_CAPACITY} and a random seed. */
    public InMemoryPacketNetwork() {
        this(DEFAULT_QUEUE_CAPACITY, new Random().nextLong());
    }

    /**
     * A network whose queue holds {@code queueCapacity} packets and whose loss and duplication draw
     * from {@code seed}, so that a test with random loss is reproducible.
     */
    public InMemoryPacketNetwork(int queueCapacity, long seed) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity " + queueCapacity);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.random = new Random(seed);
        this.deliveryThread = new Thread(this::deliverLoop, "mem-net-" + IDS.incrementAndGet());
        this.deliveryThread.setDaemon(true);
        this.deliveryThread.start();
    }

    /**
     * Attaches a host with address {@code address} and the given MTU (IPv4 header included).
     *
     * @throws IllegalArgumentException when the address is already attached
     */
    public PacketIO endpoint(Inet4Address address, int mtu) {
        return endpoint(Objects.requireNonNull(address, "address"), null, mtu);
    }

    /**
     * Attaches a host with an IPv4 address, an IPv6 address, or both (either may be null, not both)
     * and the given MTU (IP header included).
     *
     * @throws IllegalArgumentException when an address is already attached
     */
    public PacketIO endpoint(Inet4Address address, Inet6Address address6, int mtu) {
        if (mtu < Ipv4.MIN_HEADER + 8 || address == null && address6 == null) {
            throw new IllegalArgumentException("mtu " + mtu + ", addresses " + address + " " + address6);
        }
        MemoryEndpoint e = new MemoryEndpoint(this, address, address6, mtu);
        for (InetAddress a : new InetAddress[] {address, address6}) {
            if (a != null && endpoints.putIfAbsent(IpAddress.of(a), e) != null) {
                throw new IllegalArgumentException(a.getHostAddress() + " is already attached");
            }
        }
        return e;
    }

    /**
     * The path to {@code destination} carries at most {@code mtu} bytes per packet from now on: a
     * larger packet is dropped on the way ({@link #tooBigCount()}), and every endpoint's
     * {@link PacketIO#pathMtu} for it says {@code mtu}, as after a router's "too big" message.
     */
    public void limitPath(InetAddress destination, int mtu) {
        pathLimits.put(IpAddress.of(destination), mtu);
    }

    int pathLimit(IpAddress destination) {
        return pathLimits.getOrDefault(destination, Integer.MAX_VALUE);
    }

    /** Packets dropped for being larger than their path ({@link #limitPath}). */
    public long tooBigCount() {
        return tooBig.get();
    }

    /** Each packet is lost with probability {@code p} (0 turns random loss off). */
    public void dropProbability(double p) {
        this.dropProbability = probability(p);
    }

    /** The next {@code n} packets are lost, whatever the probability says. */
    public void dropNext(int n) {
        dropNext.set(n);
    }

    /** Each packet arrives twice with probability {@code p}. */
    public void duplicateProbability(double p) {
        this.duplicateProbability = probability(p);
    }

    /** The next {@code n} packets that are not lost arrive twice. */
    public void duplicateNext(int n) {
        duplicateNext.set(n);
    }

    /**
     * Shows every packet sent or injected, before loss and the middlebox, to {@code tap} (on the
     * delivery thread, as a read-only buffer valid during the call); {@code null} removes the tap.
     */
    public void tap(Consumer<ByteBuffer> tap) {
        this.tap = tap;
    }

    /** Puts {@code box} on the path of every sent packet; {@code null} removes it. */
    public void middlebox(Middlebox box) {
        this.middlebox = box;
    }

    /**
     * Puts a packet on the wire as if it came from outside every endpoint (a spoofed RST, garbage):
     * it is tapped and routed but neither lost, duplicated nor shown to the middlebox.
     *
     * @return whether it was queued
     */
    public boolean inject(ByteBuffer packet) {
        return enqueue(packet, true);
    }

    boolean send(ByteBuffer packet, int mtu) {
        if (packet.remaining() > mtu) {
            refused.incrementAndGet();
            return false;
        }
        return enqueue(packet, false);
    }

    private boolean enqueue(ByteBuffer packet, boolean injected) {
        if (closed) {
            return false;
        }
        // One spare byte in front marks injected packets; the copy is what the receiver sees.
        ByteBuffer copy = ByteBuffer.allocate(packet.remaining() + 1);
        copy.put((byte) (injected ? 1 : 0)).put(packet.duplicate()).flip();
        if (!Ip.isValidHeader(copy, 1)) {
            refused.incrementAndGet();
            return false;
        }
        if (!queue.offer(copy)) {
            overflowed.incrementAndGet();
            return false;
        }
        accepted.incrementAndGet();
        return true;
    }

    private void deliverLoop() {
        while (true) {
            ByteBuffer item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == POISON) {
                return;
            }
            try {
                process(item);
            } finally {
                processed.incrementAndGet();
            }
        }
    }

    private void process(ByteBuffer item) {
        boolean injected = item.get(0) == 1;
        ByteBuffer packet = item.position(1).slice();
        Consumer<ByteBuffer> t = tap;
        if (t != null) {
            failures.run(() -> t.accept(packet.asReadOnlyBuffer()));
        }
        if (injected) {
            route(packet);
            return;
        }
        if (lose()) {
            dropped.incrementAndGet();
            return;
        }
        Middlebox box = middlebox;
        ByteBuffer out = packet;
        if (box != null) {
            ByteBuffer[] result = new ByteBuffer[1];
            failures.run(() -> result[0] = box.process(packet));
            out = result[0] == null ? null : result[0].slice();
            if (out == null || !Ip.isValidHeader(out, 0)) {
                dropped.incrementAndGet();
                return;
            }
        }
        if (duplicate()) {
            ByteBuffer twin = ByteBuffer.allocate(out.remaining()).put(out.duplicate()).flip();
            route(twin);
        }
        route(out);
    }

    private boolean lose() {
        if (dropNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        double p = dropProbability;
        return p > 0 && random.nextDouble() < p;
    }

    private boolean duplicate() {
        if (duplicateNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        double p = duplicateProbability;
        return p > 0 && random.nextDouble() < p;
    }

    private void route(ByteBuffer packet) {
        IpAddress destination = IpAddress.destination(packet, 0);
        if (packet.remaining() > pathLimit(destination)) {
            tooBig.incrementAndGet();
            return;
        }
        MemoryEndpoint to = endpoints.get(destination);
        boolean[] taken = new boolean[1];
        if (to != null) {
            failures.run(() -> taken[0] = to.deliver(packet));
        }
        if (taken[0]) {
            delivered.incrementAndGet();
        } else {
            unmatched.incrementAndGet();
        }
    }

    /**
     * Waits until every packet queued so far has been handled (delivered, dropped or unmatched).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < accepted.get()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Packets queued by {@code send} or {@code inject}. */
    public long sentCount() {
        return accepted.get();
    }

    /** Packets a registration took (a duplicate counts twice). */
    public long deliveredCount() {
        return delivered.get();
    }

    /** Packets lost to the loss hooks or dropped by the middlebox. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Packets {@code send} dropped because the queue was full. */
    public long overflowCount() {
        return overflowed.get();
    }

    /** Packets {@code send} refused: over the sender's MTU, or not a valid IP packet. */
    public long refusedCount() {
        return refused.get();
    }

    /** Packets no endpoint or no registration wanted. */
    public long unmatchedCount() {
        return unmatched.get();
    }

    /** What taps, middleboxes and receivers threw (the first few), so a test can fail on them. */
    public List<Throwable> receiverFailures() {
        return failures.failures();
    }

    /** Throws an {@link AssertionError} carrying the first receiver failure, if any. */
    public void assertNoReceiverFailures() {
        failures.assertNone("the in-memory packet network");
    }

    /** Stops the delivery thread; packets still queued are discarded and later sends return {@code false}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        if (!queue.offer(POISON)) {
            deliveryThread.interrupt();
        }
        if (Thread.currentThread() == deliveryThread) {
            return;
        }
        try {
            deliveryThread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability " + p);
        }
        return p;
    }
}
