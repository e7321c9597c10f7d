package io.rsock.it;

import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import io.rsock.core.frame.FrameCodec;
import io.rsock.packet.inject.RawSocketInjector;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The abuse a public server must shrug off, bounded in count and time, run inside a lab namespace:
 *
 * <pre>
 * PacketFlood syn   --target IP --ports LO-HI --count N [--seconds S] [--rate R] [--sources FIRST-LAST]
 *                                                 spoofed SYNs, one per source 10.99.x.y (or from FIRST..LAST in turn)
 * PacketFlood junk  --target IP --ports LO-HI --count N [--seconds S]   random, truncated and forged TCP, from 10.98.x.y
 * PacketFlood flows --target IP:PORT --count N [--rate R] [--seconds S] N new UDP app flows, one datagram each, R a second
 * PacketFlood empty --target IP --ports LO-HI --count N [--rate R]      UDP datagrams, empty or a few junk bytes, each
 *                                                                       from a socket of its own (a new source port)
 * PacketFlood rst   --pcap FILE --offsets A,B,..                         for each client-to-server flow in FILE, RSTs
 *                                                                       spoofed from the client at seq = its next + each offset
 * PacketFlood echo  --pcap FILE --count N --step S                       for each echo identifier in FILE, requests
 *                                                                       spoofed from its last request: seq + S, + 2S ...
 * </pre>
 *
 * Raw packets are built with the api codecs and sent with the packet layer's raw socket injector. A
 * SYN's options are a function of its source ({@link #synOptionsMask}), so a test can tell each
 * spoofed source's SYN size without a ledger; junk writes, with {@code --ledger FILE}, the bytes sent
 * to each source's low 16 bits (65 536 big-endian longs). Prints one JSON line: what was sent, how
 * fast.
 */
public final class PacketFlood {
    static final int SYN_NET = (10 << 24) | (99 << 16);
    static final int JUNK_NET = (10 << 24) | (98 << 16);

    private PacketFlood() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String target = arg(args, "--target", "10.201.2.2");
        int count = Integer.parseInt(arg(args, "--count", "10000"));
        long deadline = System.nanoTime() + Long.parseLong(arg(args, "--seconds", "60")) * 1_000_000_000L;
        long start = System.nanoTime();
        long[] result = switch (mode) {
            case "syn" -> syn(target, ports(args), count, deadline, Integer.parseInt(arg(args, "--rate", "0")),
                    arg(args, "--sources", null));
            case "empty" -> empty(target, ports(args), count, Integer.parseInt(arg(args, "--rate", "1000")), deadline);
            case "rst" -> rst(Path.of(arg(args, "--pcap", "")), arg(args, "--offsets", "1,-1"));
            case "echo" -> echo(Path.of(arg(args, "--pcap", "")), count, Integer.parseInt(arg(args, "--step", "1000")));
            case "junk" -> junk(target, ports(args), count, deadline, arg(args, "--ledger", null));
            case "flows" -> flows(target, count, Integer.parseInt(arg(args, "--rate", "1000000")), deadline);
            default -> throw new IllegalArgumentException("mode " + mode);
        };
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"mode\":\"%s\",\"sent\":%d,\"bytes\":%d,\"failed\":%d,\"seconds\":%.2f,\"per_second\":%.0f}%n",
                mode, result[0], result[1], result[2], secs, result[0] / secs);
    }

    /** Options a SYN from {@code source} carries: bit 0 MSS, 1 SACK-permitted, 2 timestamps, 3 window scale. */
    static int synOptionsMask(int source) {
        return (source >>> 3) & 0xF;
    }

    /** The length of the SYN {@link #syn} sends from {@code source}. */
    static int synLength(int source) {
        int m = synOptionsMask(source);
        int raw = ((m & 1) != 0 ? 4 : 0) + ((m & 2) != 0 ? 2 : 0) + ((m & 4) != 0 ? 10 : 0) + ((m & 8) != 0 ? 3 : 0);
        return Ipv4TcpWriter.HEADERS + ((raw + 3) & ~3);
    }

    private static long[] syn(String target, int[] ports, int count, long deadline, int rate, String sources) throws Exception {
        int dst = address(target);
        int first = sources == null ? 0 : address(sources.split("-")[0]);
        int span = sources == null ? 0 : address(sources.split("-")[1]) - first + 1;
        SplittableRandom rnd = new SplittableRandom(1);
        ByteBuffer b = ByteBuffer.allocateDirect(128);
        long sent = 0;
        long bytes = 0;
        long failed = 0;
        long start = System.nanoTime();
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                pace(start, i, rate);
                // one SYN per source: 10 000 sources, or the given ones in turn
                int src = sources == null ? SYN_NET | ((i + 1) & 0xFFFF) : first + i % span;
                int m = synOptionsMask(src);
                int optLen = synLength(src) - Ipv4TcpWriter.HEADERS;
                int o = Ipv4TcpWriter.begin(b, 0, src, dst, rnd.nextInt(0x10000), 1024 + rnd.nextInt(60000),
                        ports[rnd.nextInt(ports.length)], rnd.nextInt(), 0, Tcp.SYN, 64240, optLen);
                int end = o + optLen;
                if ((m & 1) != 0) {
                    o = Tcp.writeMss(b, o, 1460);
                }
                if ((m & 2) != 0) {
                    o = Tcp.writeSackPermitted(b, o);
                }
                if ((m & 4) != 0) {
                    o = Tcp.writeTimestamps(b, o, rnd.nextInt(), 0);
                }
                if ((m & 8) != 0) {
                    o = Tcp.writeWindowScale(b, o, 7);
                }
                while (o < end) {
                    o = Tcp.writeEol(b, o);
                }
                int n = Ipv4TcpWriter.finish(b, 0, 0);
                if (send(raw, b, n)) {
                    sent++;
                    bytes += n;
                } else {
                    failed++;
                }
            }
        }
        return new long[] {sent, bytes, failed};
    }

    /**
     * Five kinds in turn: (0) a TCP segment of random bytes (bad checksum almost always); (1) a
     * well-formed ACK segment whose payload is a forged frame (right version, random rest); (2) a TCP
     * header cut short; (3) random flags but never SYN alone, right checksum, random payload; (4) an IPv4
     * header of random bytes. Each from a random source of 10.98/16.
     */
    private static long[] junk(String target, int[] ports, int count, long deadline, String ledger) throws Exception {
        int dst = address(target);
        SplittableRandom rnd = new SplittableRandom(2);
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        byte[] noise = new byte[1500];
        long[] perSource = new long[65536];
        long sent = 0;
        long bytes = 0;
        long failed = 0;
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (int i = 0; i < count; i++) {
                if ((i & 1023) == 0 && System.nanoTime() >= deadline) {
                    break;
                }
                int low = rnd.nextInt(65536);
                int src = JUNK_NET | low;
                int port = ports[rnd.nextInt(ports.length)];
                int kind = i % 5;
                int payload = rnd.nextInt(kind == 1 ? 200 : 600);
                rnd.nextBytes(noise);
                int n;
                switch (kind) {
                    case 0 -> {
                        Ipv4TcpWriter.begin(b, 0, src, dst, i, rnd.nextInt(0x10000), port, 0, 0, 0, 0, 0);
                        b.put(Ipv4.MIN_HEADER + 4, noise, 0, 16 + payload); // all but the ports: noise
                        b.put(Ipv4.MIN_HEADER + 12, (byte) (5 << 4));
                        n = Ipv4.MIN_HEADER + 20 + payload;
                        b.putShort(2, (short) n);
                        Ipv4.fillHeaderChecksum(b, 0);
                    }
                    case 1 -> {
                        int o = Ipv4TcpWriter.begin(b, 0, src, dst, i, rnd.nextInt(0x10000), port, rnd.nextInt(),
                                rnd.nextInt(), Tcp.ACK | Tcp.PSH, 502, 0);
                        b.put(o, noise, 0, 32 + payload);
                        b.put(o, (byte) ((FrameCodec.VERSION << 4) | (1 + rnd.nextInt(6)))); // this version, a known type
                        b.putShort(o + 2, (short) payload);
                        n = Ipv4TcpWriter.finish(b, 0, 32 + payload);
                    }
                    case 2 -> {
                        Ipv4TcpWriter.begin(b, 0, src, dst, i, rnd.nextInt(0x10000), port, rnd.nextInt(), 0, Tcp.ACK, 502, 0);
                        n = Ipv4.MIN_HEADER + 4 + rnd.nextInt(16);
                        b.putShort(2, (short) n);
                        Ipv4.fillHeaderChecksum(b, 0);
                    }
                    case 3 -> {
                        int flags = rnd.nextInt(0x40);
                        if ((flags & (Tcp.SYN | Tcp.ACK | Tcp.RST | Tcp.FIN)) == Tcp.SYN) {
                            flags |= Tcp.FIN;
                        }
                        int o = Ipv4TcpWriter.begin(b, 0, src, dst, i, rnd.nextInt(0x10000), port, rnd.nextInt(),
                                rnd.nextInt(), flags, rnd.nextInt(0x10000), 0);
                        b.put(o, noise, 0, payload);
                        n = Ipv4TcpWriter.finish(b, 0, payload);
                    }
                    default -> {
                        b.put(0, noise, 0, 60);
                        b.put(0, (byte) (0x40 | (5 + rnd.nextInt(11)))); // IPv4, any header length the kernel sends
                        b.put(9, (byte) 6);
                        b.putInt(12, src);
                        b.putInt(16, dst);
                        b.putShort(20 + 2, (short) port);
                        n = 60;
                        b.putShort(2, (short) n);
                    }
                }
                if (send(raw, b, n)) {
                    sent++;
                    bytes += n;
                    perSource[low] += n;
                } else {
                    failed++;
                }
            }
        }
        if (ledger != null) {
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(ledger)))) {
                for (long v : perSource) {
                    out.writeLong(v);
                }
            }
        }
        return new long[] {sent, bytes, failed};
    }

    /** Waits until the {@code i}th packet is due at {@code rate} a second from {@code start}; 0 is unpaced. */
    private static void pace(long start, long i, int rate) {
        if (rate <= 0) {
            return;
        }
        long due = start + i * 1_000_000_000L / rate;
        while (System.nanoTime() < due) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Empty datagrams and a few junk bytes in turn, each from a new socket (a new source port) of this namespace. */
    private static long[] empty(String target, int[] ports, int count, int rate, long deadline) throws IOException {
        InetAddress to = InetAddress.getByName(target);
        long start = System.nanoTime();
        ByteBuffer junk = ByteBuffer.wrap("not a frame!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long sent = 0;
        long bytes = 0;
        long failed = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            pace(start, i, rate);
            try (DatagramChannel ch = DatagramChannel.open()) {
                ByteBuffer d = i % 2 == 0 ? ByteBuffer.allocate(0) : junk.clear();
                bytes += d.remaining();
                ch.send(d, new InetSocketAddress(to, ports[i % ports.length]));
                sent++;
            } catch (IOException e) {
                failed++;
            }
        }
        return new long[] {sent, bytes, failed};
    }

    /**
     * For each client-to-server TCP flow in {@code pcap} (the segment that reached furthest), an RST
     * spoofed from the client at that flow's next sequence number plus each offset: what a blind
     * attacker who guessed close gets to send.
     */
    private static long[] rst(Path pcap, String offsets) throws Exception {
        java.util.Map<Long, ByteBuffer> furthest = new java.util.HashMap<>();
        for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
            if (Ipv4.protocol(p, 0) != 6) {
                continue;
            }
            int t = Ipv4.headerLength(p, 0);
            long flow = (long) Tcp.sourcePort(p, t) << 16 | Tcp.destinationPort(p, t);
            ByteBuffer had = furthest.get(flow);
            if (had == null || next(p) - next(had) > 0) {
                furthest.put(flow, p);
            }
        }
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        long sent = 0;
        long failed = 0;
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (ByteBuffer p : furthest.values()) {
                int t = Ipv4.headerLength(p, 0);
                for (String o : offsets.split(",")) {
                    int n = Ipv4TcpWriter.write(b, 0, Ipv4.source(p, 0), Ipv4.destination(p, 0), 0, Tcp.sourcePort(p, t),
                            Tcp.destinationPort(p, t), next(p) + Integer.parseInt(o.strip()), 0, Tcp.RST, 0, ByteBuffer.allocate(0));
                    if (send(raw, b, n)) {
                        sent++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        System.out.println("rst: " + furthest.size() + " flows");
        return new long[] {sent, sent * 40, failed};
    }

    /** The sequence number after a captured segment's payload. */
    private static int next(ByteBuffer p) {
        int t = Ipv4.headerLength(p, 0);
        return Tcp.sequence(p, t) + Ipv4.totalLength(p, 0) - t - Tcp.headerLength(p, t);
    }

    /**
     * For each echo identifier in {@code pcap} (a client's conn), echo requests spoofed from its last
     * request's source, with its identifier and sequence numbers {@code step}, {@code 2 step} ... ahead,
     * empty and with junk in turn: a push at the server's window by someone who saw the conns.
     */
    private static long[] echo(Path pcap, int count, int step) throws Exception {
        java.util.Map<Integer, ByteBuffer> last = new java.util.HashMap<>();
        for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
            int i = Ipv4.headerLength(p, 0);
            if (Ipv4.protocol(p, 0) == 1 && Icmp.type(p, i) == Icmp.ECHO_REQUEST) {
                last.put(Icmp.identifier(p, i), p);
            }
        }
        if (last.isEmpty()) {
            throw new IllegalStateException("no echo request in " + pcap);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(256);
        ByteBuffer junk = ByteBuffer.allocate(64);
        new SplittableRandom(3).nextBytes(junk.array());
        long sent = 0;
        long failed = 0;
        long bytes = 0;
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (ByteBuffer p : last.values()) {
                int i0 = Ipv4.headerLength(p, 0);
                for (int k = 1; k <= count; k++) {
                    int seq = (Icmp.sequence(p, i0) + k * step) & 0xFFFF;
                    int n = Icmp.writeEcho(b, 0, Ipv4.source(p, 0), Ipv4.destination(p, 0), k, Icmp.ECHO_REQUEST,
                            Icmp.identifier(p, i0), seq, k % 2 == 0 ? junk.clear() : ByteBuffer.allocate(0));
                    if (send(raw, b, n)) {
                        sent++;
                        bytes += n;
                    } else {
                        failed++;
                    }
                }
            }
        }
        System.out.println("echo: " + last.size() + " identifiers");
        return new long[] {sent, bytes, failed};
    }

    private static long[] flows(String target, int count, int rate, long deadline) throws IOException {
        long start = System.nanoTime();
        String[] hp = target.split(":");
        InetSocketAddress to = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        ByteBuffer d = ByteBuffer.allocate(100);
        long sent = 0;
        long failed = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            // 127.1.a.b, 20 000 ports each: every flow its own source endpoint, none on -l's 127.0.0.1.
            pace(start, i, rate);
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 20000), 1});
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.bind(new InetSocketAddress(from, 40000 + i % 20000));
                d.clear();
                d.putInt(0, i);
                ch.send(d, to);
                sent++;
            } catch (IOException e) {
                failed++;
            }
        }
        return new long[] {sent, sent * 100, failed};
    }

    /**
     * Sends, waiting out a full socket buffer (bounded) instead of dropping; a packet the kernel refuses
     * outright (a header it will not send) is given up at once.
     */
    private static boolean send(RawSocketInjector raw, ByteBuffer b, int n) {
        for (int tries = 0; tries < 1000; tries++) {
            long full = raw.bufferFullDrops();
            b.limit(n).position(0);
            boolean ok = raw.send(b);
            b.clear();
            if (ok) {
                return true;
            }
            if (raw.bufferFullDrops() == full) {
                return false;
            }
            LockSupport.parkNanos(20_000);
        }
        return false;
    }

    private static int address(String dotted) throws IOException {
        return ByteBuffer.wrap(InetAddress.getByName(dotted).getAddress()).getInt();
    }

    private static int[] ports(String[] args) {
        String[] r = arg(args, "--ports", "10001-10004").split("-");
        int lo = Integer.parseInt(r[0]);
        int hi = Integer.parseInt(r[r.length - 1]);
        int[] p = new int[hi - lo + 1];
        for (int i = 0; i < p.length; i++) {
            p[i] = lo + i;
        }
        return p;
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
