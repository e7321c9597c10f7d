package io.rsock.bench;

import io.rsock.api.Conn;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.bench.mem.DirectPacketNetwork;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.config.Limits;
import io.rsock.core.config.PortList;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameType;
import io.rsock.core.host.TunnelClient;
import io.rsock.core.host.TunnelServer;
import io.rsock.core.pool.PoolSlot;
import io.rsock.core.stats.Counters;
import io.rsock.testkit.TestTransportContext;
import io.rsock.transport.faketcp.FakeTcpTransport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The real host classes end to end over fake TCP on an in-memory packet layer that allocates nothing
 * ({@link DirectPacketNetwork}): a {@link TunnelClient} and a {@link TunnelServer}, each with its own
 * {@link FakeTcpTransport}, 4 conns, relaying to a UDP socket on loopback.
 *
 * <ul>
 *   <li>{@code serverReceive}: on the calling thread, a DATA frame built and MACed, put in a fake TCP
 *       segment by the client conn, then the server side: TCP checks, frame check, replay window,
 *       session lookup, write to the target socket. No thread hand-off, so ns/op is CPU per packet.
 *   <li>{@code appToTarget}: a datagram from the app socket into the client's {@code -l}, through the
 *       client's reader thread, the server, to the target, received there: one way through everything,
 *       two kernel UDP hops and a thread wake-up included (latency, not throughput).
 *   <li>{@code roundTrip}: there and back again, the reply path included.
 *   <li>{@code poolPick}: the scheduler's pick over the 4 open conns.
 * </ul>
 * Heartbeats are off (one per hour) so that the frames measured are the only traffic.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PathBench extends HotPathBench {
    static final String SECRET = "bench-secret";

    @Param({"64", "512", "1200"})
    public int size;

    private ScheduledExecutorService scheduler;
    private DirectPacketNetwork net;
    private TestTransportContext serverCtx;
    private TestTransportContext clientCtx;
    private TunnelServer server;
    private TunnelClient client;
    private DatagramChannel target;
    private DatagramChannel app;
    private ByteBuffer payload;
    private ByteBuffer in;
    private FrameSender sender;
    private Conn conn;
    private Association association;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
        });
        net = new DirectPacketNetwork();
        Inet4Address serverAddr = (Inet4Address) InetAddress.getByName("10.9.0.2");
        Inet4Address clientAddr = (Inet4Address) InetAddress.getByName("10.9.0.1");
        target = DatagramChannel.open();
        target.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

        FakeTcpTransport serverTcp = new FakeTcpTransport();
        serverCtx = TestTransportContext.builder().role(Role.SERVER).packets(net.endpoint(serverAddr, 1500)).scheduler(scheduler)
                .build();
        serverTcp.start(serverCtx);
        server = new TunnelServer(settings(Role.SERVER, (InetSocketAddress) target.getLocalAddress(), List.of()),
                List.<ConnTransport>of(serverTcp), scheduler, new Counters(), System::nanoTime);
        server.start();

        FakeTcpTransport clientTcp = new FakeTcpTransport();
        clientCtx = TestTransportContext.builder().role(Role.CLIENT).peerHint(serverAddr).packets(net.endpoint(clientAddr, 1500))
                .scheduler(scheduler).build();
        clientTcp.start(clientCtx);
        client = new TunnelClient(settings(Role.CLIENT, null, List.of(serverAddr)), List.<ConnTransport>of(clientTcp), scheduler,
                new Counters(), System::nanoTime);
        client.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.pool().openCount() < 4 || client.association(serverAddr) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("conns did not open: " + client.status());
            }
            Thread.sleep(10);
        }

        payload = ByteBuffer.allocate(size);
        in = ByteBuffer.allocateDirect(65536);
        // The client's own association with the server, and counters above any the client numbered (its
        // start is below 2^40), so the server takes these frames as the client's next ones.
        sender = new FrameSender(FrameKey.forClient(SECRET, FrameProtection.NONE), new AtomicLong(1L << 41), new Counters().get("a"),
                new Counters().get("b"));
        association = client.association(serverAddr);
        conn = client.pool().pick().conn();

        // The app's flow. The target stays unconnected: serverReceive's session writes to it from its own
        // socket, and a connected target would answer those with ICMP port unreachable.
        app = DatagramChannel.open();
        app.connect(client.localAddress());
    }

    private static TunnelSettings settings(Role role, InetSocketAddress target, List<InetAddress> servers) {
        return new TunnelSettings(role, target, servers,
                role == Role.CLIENT ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null,
                null, null, null, PortList.parse("20001-20004"), Duration.ofSeconds(300), SECRET, List.of("tcp"),
                Path.of("/tmp"), false, 10, Limits.withMaxSessions(16384), Duration.ofHours(1), false, null,
                Map.of(), Duration.ZERO, 0, Duration.ofSeconds(600), FrameProtection.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        server.close();
        clientCtx.close();
        serverCtx.close();
        app.close();
        target.close();
        scheduler.shutdownNow();
        if (net.dropped() > 0) {
            System.out.println("in-memory network dropped " + net.dropped() + " packets");
        }
    }

    @Benchmark
    public boolean serverReceive() {
        payload.clear();
        return sender.send(conn, association, FrameType.DATA, client.clientId(), 7, payload);
    }

    @Benchmark
    public int appToTarget() throws IOException {
        payload.clear();
        app.write(payload);
        in.clear();
        target.receive(in);
        return in.position();
    }

    /**
     * A datagram there and its echo back: adds the server's target reader (selector, frame, pick a
     * conn of the client) and the client's delivery to the app (frame check, replay, session, send).
     */
    @Benchmark
    public int roundTrip() throws IOException {
        payload.clear();
        app.write(payload);
        in.clear();
        SocketAddress from = target.receive(in);
        in.flip();
        target.send(in, from);
        in.clear();
        return app.read(in);
    }

    @Benchmark
    public PoolSlot poolPick() {
        return client.pool().pick();
    }
}
