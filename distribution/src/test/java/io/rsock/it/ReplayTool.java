package io.rsock.it;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Udp;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Hello;
import io.rsock.packet.inject.RawSocketInjector;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What an attacker on the path does with a tunnel's UDP datagrams, and the app that shows what got
 * through, run inside a lab namespace, bounded in count and time:
 *
 * <pre>
 * ReplayTool echo    --port P [--seconds S]              a UDP echo that prints "marked N" each time a marked datagram arrives
 * ReplayTool mark    --target IP:PORT --count N          N marked datagrams through the tunnel, each awaiting its echo
 * ReplayTool replay  --pcap FILE --to IP [--listen-ms M] the UDP payloads to ports 10001-10004 in FILE, sent again in order
 *                                                        from one fresh socket to IP; then listens for what comes back
 * ReplayTool reflect --pcap FILE                         each UDP datagram in FILE sent back to where it came from, its
 *                                                        source forged as its destination (raw socket)
 * </pre>
 *
 * Each prints one JSON line. A marked datagram starts with {@value #MARK}, so the echo at {@code -t}
 * counts what reached it from the recorded flow apart from any live flow beside it.
 */
public final class ReplayTool {
    static final String MARK = "rsRPLAY!";
    private static final int LOW_PORT = 10001;
    private static final int HIGH_PORT = 10004;

    private ReplayTool() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "echo" -> echo(Integer.parseInt(arg(args, "--port", "9997")), Long.parseLong(arg(args, "--seconds", "600")));
            case "mark" -> mark(arg(args, "--target", "127.0.0.1:30000"), Integer.parseInt(arg(args, "--count", "50")));
            case "replay" -> replay(Path.of(arg(args, "--pcap", null)), arg(args, "--to", null),
                    Integer.parseInt(arg(args, "--listen-ms", "3000")));
            case "reflect" -> reflect(Path.of(arg(args, "--pcap", null)));
            default -> throw new IllegalArgumentException("mode " + mode);
        }
    }

    /** The count of marked datagrams the echo of {@code log} saw (its last "marked N" line), 0 if none. */
    static long markedIn(String log) {
        long n = 0;
        for (String line : log.split("\n")) {
            if (line.startsWith("marked ")) {
                n = Long.parseLong(line.substring(7).strip());
            }
        }
        return n;
    }

    private static void echo(int port, long seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] mark = MARK.getBytes(StandardCharsets.US_ASCII);
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.bind(new InetSocketAddress("0.0.0.0", port));
            ch.configureBlocking(false);
            System.out.println("echo listening on " + ch.getLocalAddress());
            System.out.flush();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long marked = 0;
            while (System.nanoTime() < deadline) {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                if (from == null) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                buf.flip();
                if (startsWith(buf, mark)) {
                    System.out.println("marked " + ++marked);
                    System.out.flush();
                }
                ch.send(buf, from);
            }
        }
    }

    private static void mark(String target, int count) throws IOException {
        String[] hp = target.split(":");
        InetSocketAddress to = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        int echoed = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] in = new byte[2048];
            for (int i = 0; i < count; i++) {
                byte[] d = (MARK + " " + i + " ").repeat(20).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(d, d.length, to));
                try {
                    s.receive(new DatagramPacket(in, in.length));
                    echoed++;
                } catch (SocketTimeoutException e) {
                    // not echoed: counted as missing
                }
            }
        }
        System.out.printf("{\"mode\":\"mark\",\"sent\":%d,\"echoed\":%d}%n", count, echoed);
    }

    /** The UDP payloads (and their destination ports) to the tunnel's ports in a capture, in order. */
    private static List<ByteBuffer> udpPackets(Path pcap) throws IOException {
        List<ByteBuffer> out = new ArrayList<>();
        for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
            if (Ipv4.protocol(p, 0) == 17 && p.limit() >= Ipv4.headerLength(p, 0) + Udp.HEADER) {
                out.add(p);
            }
        }
        return out;
    }

    private static void replay(Path pcap, String to, int listenMs) throws Exception {
        InetAddress server = InetAddress.getByName(to);
        long sent = 0;
        long sentBytes = 0;
        long helloBytes = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(0)); // a fresh socket: the attacker's own address and port
            for (ByteBuffer p : udpPackets(pcap)) {
                int u = Ipv4.headerLength(p, 0);
                int port = Udp.destinationPort(p, u);
                if (port < LOW_PORT || port > HIGH_PORT) {
                    continue;
                }
                ByteBuffer payload = p.duplicate().position(u + Udp.HEADER).limit(u + Udp.length(p, u)).slice();
                if (payload.remaining() > 0 && (payload.get(0) & 0x0F) == FrameType.HELLO) {
                    helloBytes += payload.remaining();
                }
                sentBytes += payload.remaining();
                ch.send(payload, new InetSocketAddress(server, port));
                sent++;
                LockSupport.parkNanos(500_000); // 2 000 a second: a replay, not a flood
            }
            ch.configureBlocking(false);
            long replies = 0;
            long replyBytes = 0;
            long helloAcks = 0;
            long helloAckBytes = 0;
            ByteBuffer in = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + listenMs * 1_000_000L;
            while (System.nanoTime() < deadline) {
                in.clear();
                if (ch.receive(in) == null) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                in.flip();
                replies++;
                replyBytes += in.remaining();
                if (in.remaining() == FrameCodec.OVERHEAD + Hello.ACK_SIZE
                        && (in.get(0) & 0xFF) == ((FrameCodec.VERSION << 4) | FrameType.HELLO_ACK)) {
                    helloAcks++;
                    helloAckBytes += in.remaining();
                }
            }
            System.out.printf("{\"mode\":\"replay\",\"to\":\"%s\",\"sent\":%d,\"sent_bytes\":%d,\"hello_bytes\":%d,\"replies\":%d,"
                    + "\"reply_bytes\":%d,\"hello_acks\":%d,\"hello_ack_bytes\":%d}%n", to, sent, sentBytes, helloBytes, replies,
                    replyBytes, helloAcks, helloAckBytes);
        }
    }

    /**
     * Sends every frame of every captured datagram back where it came from, one frame per datagram (a
     * segmented send, UDP_SEGMENT, is captured as one large datagram of several frames). Counts the frames
     * reflected to each side: {"to_client", "to_server"} by the datagram's original destination port.
     */
    private static void reflect(Path pcap) throws Exception {
        long toClient = 0;
        long toServer = 0;
        long failed = 0;
        ByteBuffer out = ByteBuffer.allocateDirect(65536);
        try (RawSocketInjector raw = RawSocketInjector.open()) {
            for (ByteBuffer p : udpPackets(pcap)) {
                int u = Ipv4.headerLength(p, 0);
                int end = u + Udp.length(p, u);
                if (end > p.limit()) {
                    continue; // cut by the capture
                }
                boolean fromClient = Udp.destinationPort(p, u) >= LOW_PORT && Udp.destinationPort(p, u) <= HIGH_PORT;
                for (int f = u + Udp.HEADER; f + FrameCodec.OVERHEAD <= end; ) {
                    int len = FrameCodec.OVERHEAD + (p.getShort(f + 2) & 0xFFFF);
                    if (f + len > end) {
                        break;
                    }
                    out.clear();
                    out.put(p.duplicate().limit(u + Udp.HEADER)); // the captured headers as a template
                    out.put(p.duplicate().position(f).limit(f + len)).flip();
                    out.putShort(2, (short) out.limit());
                    int src = Ipv4.source(out, 0);
                    out.putInt(12, Ipv4.destination(out, 0)).putInt(16, src);
                    int srcPort = Udp.sourcePort(out, u);
                    Udp.setSourcePort(out, u, Udp.destinationPort(out, u));
                    Udp.setDestinationPort(out, u, srcPort);
                    Udp.setLength(out, u, Udp.HEADER + len);
                    Ipv4.fillHeaderChecksum(out, 0);
                    Udp.fillChecksumIpv4(out, 0);
                    if (!raw.send(out)) {
                        failed++;
                    } else if (fromClient) {
                        toClient++;
                    } else {
                        toServer++;
                    }
                    f += len;
                    LockSupport.parkNanos(200_000);
                }
            }
        }
        System.out.printf("{\"mode\":\"reflect\",\"to_client\":%d,\"to_server\":%d,\"failed\":%d}%n", toClient, toServer,
                failed);
    }

    private static boolean startsWith(ByteBuffer b, byte[] prefix) {
        if (b.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(b.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (dflt == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return dflt;
    }
}
