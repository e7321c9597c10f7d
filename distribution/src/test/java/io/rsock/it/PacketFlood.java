package io.rsock.it;

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
 * PacketFlood syn   --target IP --ports LO-HI --count N [--seconds S]   spoofed SYNs, one per source 10.99.x.y
 * PacketFlood junk  --target IP --ports LO-HI --count N [--seconds S]   random, truncated and forged TCP, from 10.98.x.y
 * PacketFlood flows --target IP:PORT --count N [--rate R] [--seconds S] N new UDP app flows, one datagram each, R a second
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
            case "syn" -> syn(target, ports(args), count, deadline);
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

    private static long[] syn(String target, int[] ports, int count, long deadline) throws Exception {
        int dst = address(target);
        SplittableRandom rnd = new SplittableRandom(1);
        ByteBuffer b = ByteBuffer.allocateDirect(128);
        long sent = 0;
        long bytes = 0;
        long failed = 0;
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                int src = SYN_NET | ((i + 1) & 0xFFFF); // one SYN per source: 10 000 sources
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

    private static long[] flows(String target, int count, int rate, long deadline) throws IOException {
        long start = System.nanoTime();
        String[] hp = target.split(":");
        InetSocketAddress to = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        ByteBuffer d = ByteBuffer.allocate(100);
        long sent = 0;
        long failed = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            // 127.1.a.b, 20 000 ports each: every flow its own source endpoint, none on -l's 127.0.0.1.
            long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(100_000);
            }
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
