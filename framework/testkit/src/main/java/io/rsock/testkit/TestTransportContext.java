package io.rsock.testkit;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.OptionValues;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketIO;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The {@link TransportContext} a transport gets in tests, standing in for the host's.
 *
 * <pre>{@code
 * try (TestTransportContext ctx = TestTransportContext.builder()
 *         .role(Role.SERVER)
 *         .packets(network.endpoint(serverAddr, 1500))   // only transports that use raw packets
 *         .option("udp.idle", "200ms")
 *         .build()) {
 *     transport.start(ctx);
 *     ...
 *     transport.close();
 *     ctx.firewall().assertAllRemoved();
 *     assertEquals(0, ctx.counterValue("udp.send_dropped"));
 * }
 * }</pre>
 *
 * <p>It records how each counter was declared ({@link #declared}), so that tests (the TCK among them)
 * can check that a transport declares every counter it uses. {@link #pathMtu} answers the builder's
 * {@link Builder#pathMtu}, else the {@code mtu} option, else {@value TransportContext#DEFAULT_MTU}.
 *
 * <p>Without a scheduler the context owns one daemon timer thread (started at once, so that thread
 * checks see it as the context's and not the transport's) and stops it in {@link #close()}.
 */
public final class TestTransportContext implements TransportContext, AutoCloseable {
    private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

    private final Role role;
    private final InetAddress peerHint;
    private final PacketIO packets;
    private final RecordingFirewall firewall;
    private final ScheduledExecutorService scheduler;
    private final Thread schedulerThread;
    private final Map<String, AdderCounter> counters = new ConcurrentHashMap<>();
    private final Map<String, Declaration> declarations = new ConcurrentHashMap<>();
    private final Map<String, String> options;
    private final int pathMtu;
    private final Set<String> optionsAsked = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoClock;
    private final HandshakeTokens tokens;

    private TestTransportContext(Builder b) {
        this.role = b.role;
        this.peerHint = b.peerHint;
        this.packets = b.packets;
        this.firewall = b.firewall instanceof RecordingFirewall rf ? rf : new RecordingFirewall(b.firewall);
        this.options = Map.copyOf(b.options);
        this.tokens = b.tokens;
        this.nanoClock = b.nanoClock;
        try { // not option(): the host's key, not one the transport asked for
            this.pathMtu = b.pathMtu > 0 ? b.pathMtu : OptionValues.mtu(Optional.ofNullable(options.get("mtu")), DEFAULT_MTU);
        } catch (TransportException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.schedulerThread = null;
        } else {
            Thread[] made = new Thread[1];
            String name = "rsock-test-scheduler-" + SCHEDULER_IDS.incrementAndGet();
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                made[0] = t;
                return t;
            });
            own.setRemoveOnCancelPolicy(true);
            own.prestartAllCoreThreads();
            this.scheduler = own;
            this.schedulerThread = made[0];
        }
    }

    /** A builder with role {@link Role#CLIENT}, no peer hint, no packet I/O, and no options. */
    public static Builder builder() {
        return new Builder();
    }

    /** A context for {@code role} with every default. */
    public static TestTransportContext of(Role role) {
        return builder().role(role).build();
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public Optional<InetAddress> peerHint() {
        return Optional.ofNullable(peerHint);
    }

    /** @throws TransportException "no packet I/O in this test" when the builder was given none */
    @Override
    public PacketIO packets() throws TransportException {
        if (packets == null) {
            throw new TransportException("no packet I/O in this test");
        }
        return packets;
    }

    /** The recording firewall (wrapping the builder's firewall, if one was given). */
    @Override
    public RecordingFirewall firewall() {
        return firewall;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Counter counter(String name) {
        return counters.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new AdderCounter());
    }

    /** Records the declaration, then as {@link #counter(String)}. A blank sentence is refused. */
    @Override
    public Counter counter(String name, CounterKind kind, String help) {
        Objects.requireNonNull(kind, "kind");
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("counter " + name + ": say in a sentence what it counts");
        }
        declarations.put(name, new Declaration(kind, help));
        return counter(name);
    }

    /** How a counter was declared: its kind and its sentence. */
    public record Declaration(CounterKind kind, String help) {
    }

    /** How counter {@code name} was declared, or null when it was only looked up by name (or never). */
    public Declaration declared(String name) {
        return declarations.get(name);
    }

    /** The counters looked up by name without ever being declared with a kind and a sentence. */
    public Set<String> undeclaredCounters() {
        Set<String> out = new TreeSet<>(counters.keySet());
        out.removeAll(declarations.keySet());
        return out;
    }

    @Override
    public int pathMtu(InetAddress remote) {
        return pathMtu;
    }
    /** The value of counter {@code name}, 0 if nobody asked for it. */
    public long counterValue(String name) {
        AdderCounter c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    /** A snapshot of every counter, sorted by name (handy in assertion messages). */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Optional<String> option(String key) {
        optionsAsked.add(Objects.requireNonNull(key, "key"));
        return Optional.ofNullable(options.get(key));
    }

    /** Every key the transport asked {@link #option} for so far, sorted: each must be in its {@code options()}. */
    public Set<String> optionsAsked() {
        return Collections.unmodifiableSet(new TreeSet<>(optionsAsked));
    }

    @Override
    public HandshakeTokens handshakeTokens() {
        return tokens;
    }

    @Override
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Whether {@code t} is a thread this context started (its scheduler's); thread-leak checks skip those. */
    public boolean ownsThread(Thread t) {
        return t != null && t == schedulerThread;
    }

    /** Stops the scheduler if this context owns it (a given scheduler is the caller's to stop). */
    @Override
    public void close() {
        if (schedulerThread == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link TestTransportContext}; every setting is optional. Not thread-safe. */
    public static final class Builder {
        private Role role = Role.CLIENT;
        private InetAddress peerHint;
        private PacketIO packets;
        private Firewall firewall;
        private ScheduledExecutorService scheduler;
        private final Map<String, String> options = new HashMap<>();
        private LongSupplier nanoClock = System::nanoTime;
        private int pathMtu;
        private HandshakeTokens tokens = HandshakeTokens.open();

        private Builder() {
        }

        /** What {@link TransportContext#pathMtu} answers for every remote; default the {@code mtu} option, else 1500. */
        public Builder pathMtu(int mtu) {
            if (mtu < OptionValues.MIN_MTU || mtu > OptionValues.MAX_MTU) {
                throw new IllegalArgumentException("path MTU " + mtu);
            }
            this.pathMtu = mtu;
            return this;
        }

        /** Client or server; default {@link Role#CLIENT}. */
        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** What {@link TransportContext#peerHint()} returns; default empty. */
        public Builder peerHint(InetAddress peer) {
            this.peerHint = peer;
            return this;
        }

        /** The raw packet layer, e.g. an {@code InMemoryPacketNetwork} endpoint; default none. */
        public Builder packets(PacketIO packets) {
            this.packets = packets;
            return this;
        }

        /** A firewall to record and pass rules on to; default one that only records. */
        public Builder firewall(Firewall firewall) {
            this.firewall = firewall;
            return this;
        }

        /** A scheduler the caller owns and stops; default a daemon thread the context owns. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** One transport option, as {@code --opt key=value} would give it. */
        public Builder option(String key, String value) {
            options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several transport options. */
        public Builder options(Map<String, String> more) {
            more.forEach(this::option);
            return this;
        }

        /** The clock {@link TransportContext#nanoTime()} reads; default {@link System#nanoTime()}. */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** What {@link TransportContext#handshakeTokens()} returns; default {@link HandshakeTokens#open()}. */
        public Builder handshakeTokens(HandshakeTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** A new context; close it after the test. */
        public TestTransportContext build() {
            return new TestTransportContext(this);
        }
    }
}
