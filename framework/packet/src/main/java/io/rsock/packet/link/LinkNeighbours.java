package io.rsock.packet.link;

import io.rsock.api.codec.IpAddress;
import io.rsock.api.util.FlowMap;
import io.rsock.packet.capture.LinkLearner;
import io.rsock.packet.inject.NextHops;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable path's next hops, learned without the OS's tables:
 *
 * <ul>
 *   <li>from every captured frame: a packet from X arrived from MAC M, so frames to X go to M (the
 *       router that delivered it, or X itself on our link). The server learns every client so,
 *       before it ever answers one;
 *   <li>from a {@link Prober} (the client's): the kernel's own frame to a peer, at start and again
 *       when what we send to it stops getting answers, with backoff; its answer also serves every
 *       destination beyond our subnet that has not been heard from (they share the router).
 * </ul>
 *
 * <p>{@link #macFor} runs on the send path and {@link #heard} on the capture thread: lock-free
 * lookups that allocate nothing. What frames teach goes into a fixed table ({@link FrameMacs}), so
 * a flood from spoofed sources cannot grow anything; the destinations the client probes (its
 * servers, at most {@value #MAX_PROBED}) have an entry each. Both families: IPv4 sources go to
 * {@link FrameMacs}, IPv6 ones to {@link FrameMacs6}; a destination is {@link IpAddress}'s two words
 * (an IPv4 int in its mapped form), so the probed servers of both share one table. An IPv6 next hop
 * is found as an IPv4 one is, from the kernel's own frame to the peer (its NDP included).
 */
public final class LinkNeighbours implements NextHops, LinkLearner, AutoCloseable {
    /** How the client finds the next hop towards a destination; blocking, run off the send path. */
    @FunctionalInterface
    public interface Prober {
        Optional<NextHopProbe.Found> probe(IpAddress destination) throws Exception;
    }

    static final int MAX_PROBED = 1024;
    /** Silence, while sending, after which the next hop towards a destination is probed again. */
    static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Packets sent into that silence first: a lone keepalive into an idle tunnel is no sign of trouble. */
    static final int SENT_INTO_SILENCE = 3;
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger log = LoggerFactory.getLogger(LinkNeighbours.class);

    /** A destination the client probes. Written by the capture thread, the prober and the sender; each field on its own. */
    static final class Entry {
        volatile long mac = MacAddress.NONE;
        volatile long heardNanos;
        volatile int sentIntoSilence;
        volatile boolean probing;
        volatile long nextProbeNanos;
        volatile long retryNanos = FIRST_RETRY_NANOS;
        volatile String how = "";
    }

    private final FrameMacs fromFrames = new FrameMacs();
    private final FrameMacs6 fromFrames6 = new FrameMacs6();
    private final FlowMap<Entry> probed = new FlowMap<>();
    private final Prober prober;
    private final Executor probes;
    private final LongSupplier clock;
    private final LongAdder unknown = new LongAdder();
    private volatile LocalLink link;
    /** The next hop beyond our IPv4 subnet, as the last probe found it: for destinations not heard from. */
    private volatile long router = MacAddress.NONE;
    /** The same beyond our IPv6 prefix. */
    private volatile long router6 = MacAddress.NONE;
    private long nextUnknownLog;

    /**
     * @param link our MAC (frames from it are our own, never learned from) and subnet
     * @param prober the client's way of probing its servers; null on the server, which only learns
     * @param clock {@link System#nanoTime()}, or a test's
     */
    public LinkNeighbours(LocalLink link, Prober prober, LongSupplier clock) {
        this(link, prober, clock, prober == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rsock-next-hop");
            t.setDaemon(true);
            return t;
        }));
    }

    /** With where probes run: a thread of their own, or the caller (a test). */
    LinkNeighbours(LocalLink link, Prober prober, LongSupplier clock, Executor probes) {
        this.link = link;
        this.prober = prober;
        this.clock = clock;
        this.probes = probes;
    }

    @Override
    public void heard(ByteBuffer frame, int ipOffset, long nowNanos) {
        if (ipOffset < LinkFrames.ETHER_HEADER || frame.limit() <= ipOffset) {
            return; // no Ethernet header: loopback or raw links need no next hop
        }
        boolean v6 = (frame.get(ipOffset) & 0xF0) == 0x60;
        if (frame.limit() < ipOffset + (v6 ? 40 : 20)) {
            return;
        }
        long from = LinkFrames.source(frame);
        if (from == link.mac()) {
            return; // our own frame, where the capture cannot leave them out (Npcap)
        }
        long high;
        long low;
        if (v6) {
            high = frame.getLong(ipOffset + 8);
            low = frame.getLong(ipOffset + 16);
            fromFrames6.put(high, low, from);
        } else {
            int address = frame.getInt(ipOffset + 12);
            fromFrames.put(address, from);
            high = 0;
            low = IpAddress.v4Low(address);
        }
        Entry e = probed.get(high, low, 0);
        if (e != null) {
            if (e.mac != from) {
                changed(high, low, e, from, "its own frames");
            }
            e.heardNanos = nowNanos;
            e.sentIntoSilence = 0;
            e.retryNanos = FIRST_RETRY_NANOS;
        }
    }

    @Override
    public long macFor(int destination) {
        return macFor(0, IpAddress.v4Low(destination));
    }

    /** The next hop's MAC for the IPv4 or IPv6 destination {@code (high, low)}, {@link IpAddress}'s words. */
    @Override
    public long macFor(long high, long low) {
        long now = clock.getAsLong();
        boolean v4 = IpAddress.isV4(high, low);
        long mac = MacAddress.NONE;
        if (prober != null) { // the client sends only to its servers: each is probed, and probed again when silent
            Entry e = probed.get(high, low, 0);
            if (e == null) {
                e = add(high, low, now - SILENCE_NANOS);
            }
            if (e != null) {
                if (e.mac == MacAddress.NONE || now - e.heardNanos > SILENCE_NANOS && ++e.sentIntoSilence >= SENT_INTO_SILENCE) {
                    probeSoon(high, low, e, now);
                }
                mac = e.mac; // a probe run on this thread has answered already
            }
        }
        if (mac == MacAddress.NONE) {
            mac = v4 ? fromFrames.get((int) low) : fromFrames6.get(high, low);
        }
        if (mac == MacAddress.NONE && !link.onLink(high, low)) {
            mac = v4 ? router : router6;
        }
        if (mac == MacAddress.NONE) {
            unknown.increment();
            if (now - nextUnknownLog >= 0) {
                nextUnknownLog = now + LOG_INTERVAL_NANOS;
                log.warn("next hop towards {} not known yet ({} packets dropped so far): {}", LocalLink.format(high, low), unknown.sum(),
                        prober == null ? "it is learned from that host's own frames" : "probing for it");
            }
        }
        return mac;
    }

    /**
     * What a probe found (at start, or in the background): frames to {@code destination} go to
     * its next hop from now on, and to the same router for any other destination beyond our subnet.
     */
    public void learned(int destination, NextHopProbe.Found found) {
        learned(IpAddress.v4(destination), found);
    }

    /** {@link #learned(int, NextHopProbe.Found)} for a destination of either family. */
    public void learned(IpAddress destination, NextHopProbe.Found found) {
        long high = destination.high();
        long low = destination.low();
        long now = clock.getAsLong();
        Entry e = probed.get(high, low, 0);
        if (e == null && (e = add(high, low, now)) == null) {
            return;
        }
        if (e.mac != found.mac()) {
            changed(high, low, e, found.mac(), found.how());
        }
        e.heardNanos = now; // fresh knowledge: the next probe waits for another silence
        e.sentIntoSilence = 0;
        if (!link.onLink(high, low)) {
            if (destination.isV6()) {
                router6 = found.mac();
            } else {
                router = found.mac();
            }
        }
        link = link.withMac(found.ownMac());
    }

    /** What is known about {@code destination}: {@code 02:..:01, learned from ...}, or "not known yet". */
    public String describe(int destination) {
        return describe(IpAddress.v4(destination));
    }

    /** {@link #describe(int)} for a destination of either family. */
    public String describe(IpAddress destination) {
        Entry e = probed.get(destination, 0);
        if (e != null && e.mac != MacAddress.NONE) {
            return MacAddress.format(e.mac) + ", learned from " + e.how;
        }
        long mac = destination.isV6() ? fromFrames6.get(destination.high(), destination.low()) : fromFrames.get(destination.v4());
        return mac == MacAddress.NONE ? "not known yet" : MacAddress.format(mac) + ", learned from its own frames";
    }

    /** Our MAC: the OS's, or as our own frame showed it. */
    public long ownMac() {
        return link.mac();
    }

    @Override
    public long unknownDrops() {
        return unknown.sum();
    }

    private void probeSoon(long high, long low, Entry e, long now) {
        if (e.probing || now - e.nextProbeNanos < 0) {
            return;
        }
        e.probing = true;
        e.nextProbeNanos = now + e.retryNanos;
        e.retryNanos = Math.min(MAX_RETRY_NANOS, e.retryNanos * 2);
        IpAddress destination = IpAddress.isV4(high, low) ? IpAddress.v4((int) low) : IpAddress.v6(high, low);
        try {
            probes.execute(() -> probe(destination, e));
        } catch (RejectedExecutionException closed) {
            e.probing = false;
        }
    }

    private void probe(IpAddress destination, Entry e) {
        try {
            Optional<NextHopProbe.Found> found = prober.probe(destination);
            if (found.isPresent()) {
                learned(destination, found.get());
            } else {
                log.warn("next hop towards {}: the kernel's datagram to it did not show on the device; retrying in {} s",
                        destination, TimeUnit.NANOSECONDS.toSeconds(e.retryNanos));
            }
        } catch (Exception ex) {
            log.warn("next hop towards {}: probe failed: {}", destination, ex.getMessage());
        } finally {
            e.probing = false;
        }
    }

    private void changed(long high, long low, Entry e, long mac, String how) {
        if (e.mac != MacAddress.NONE) {
            log.info("next hop towards {} is now {} (was {}), learned from {}", LocalLink.format(high, low), MacAddress.format(mac),
                    MacAddress.format(e.mac), how);
        }
        e.how = how;
        e.mac = mac;
    }

    /** A new entry for a destination to probe, or null beyond {@value #MAX_PROBED} of them. */
    private synchronized Entry add(long high, long low, long now) {
        Entry e = probed.get(high, low, 0);
        if (e != null || probed.size() >= MAX_PROBED) {
            return e;
        }
        e = new Entry();
        e.heardNanos = now;
        probed.putIfAbsent(IpAddress.isV4(high, low) ? IpAddress.v4((int) low) : IpAddress.v6(high, low), 0, e);
        return e;
    }

    @Override
    public void close() {
        if (probes instanceof ExecutorService own) {
            own.shutdownNow();
        }
    }
}
