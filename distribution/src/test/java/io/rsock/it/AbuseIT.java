package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.TcpTransfer;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server on a public address under abuse, in the netns lab: floods of new app flows and spoofed
 * SYNs (memory stays bounded, legit traffic flows), random, truncated and forged packets (nothing
 * escapes, every packet is accounted for, nothing is answered with more than it sent), and a client
 * with the wrong secret (its forged frames get no frame back). What comes back is counted with
 * tcpdump in the server's namespace.
 */
class AbuseIT {
    /** The server's resident memory must stay under this through the floods (the launcher's heap is -Xmx512m). */
    static final long RSS_BOUND_MB = Long.getLong("rsock.abuse.rss-mb", 400);
    static final int JUNK_PACKETS = Integer.getInteger("rsock.abuse.packets", 1_000_000);
    /**
     * New app flows a second in the flood: 5 000, 2.5 times the default --max-new-sessions, so 100 000 take
     * 20 s. Unpaced (20 000/s), or at 10 000/s, the generator's socket-per-flow loop takes most of a core
     * of the two the lab shares with both tunnel ends, the probe and tcpdump: GC pauses stretch to
     * 0.1-0.7 s for want of CPU and the capture ring overflows (measured: 3-11 % probe loss at 20 000/s,
     * 1.6 % at 10 000/s), which measures the machine, not rsock's limits.
     */
    static final int FLOW_RATE = Integer.getInteger("rsock.abuse.flow-rate", 5_000);

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void floodsOfFlowsAndSpoofedSynsLeaveMemoryBoundedAndTrafficFlowing() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "abuse-flood")) {
            LabProcess server = lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer().warmUp(lab)) {
                long rssBefore = memoryKb(server.pid(), "VmRSS");
                Path pcap = lab.work.resolve("syn-replies.pcap");
                LabProcess dump = capture(lab, pcap, "tcp and dst net 10.99.0.0/16");
                LabProcess syn = flood(lab, Side.ISP, "syn-flood", "syn", "--target", TestNetwork.SERVER_ADDRESS, "--ports",
                        RsockLab.PORTS, "--count", "" + Integer.getInteger("rsock.abuse.syns", 10_000), "--seconds", "30");
                LabProcess flows = flood(lab, Side.CLIENT, "flow-flood", "flows", "--target", "127.0.0.1:" + RsockLab.APP_PORT,
                        "--count", "" + Integer.getInteger("rsock.abuse.flows", 100_000), "--rate", "" + FLOW_RATE, "--seconds", "60");
                // The probe spans the floods: 10 s at 1000 datagrams a second, one flow.
                ProbeResult during = lab.probeTunnel(10_000, 1200, 1000, 1);
                assertEquals(0, syn.waitFor(60_000), syn::output);
                assertEquals(0, flows.waitFor(70_000), flows::output);
                ProbeResult after = lab.probeTunnel(5000, 1200, 5000, 1);
                long rssAfter = memoryKb(server.pid(), "VmRSS");
                long peak = memoryKb(server.pid(), "VmHWM");
                Thread.sleep(1000);
                dump.stop(5000);
                Map<String, Object> status = lab.serverStatus();
                Map<?, ?> counters = (Map<?, ?>) status.get("counters");
                System.out.println("flood: " + TcpTransfer.result(syn.output()) + " " + TcpTransfer.result(flows.output()));
                System.out.println("flood: probe during " + during + "; after " + after);
                Map<?, ?> cc = (Map<?, ?>) io.rsock.core.control.ControlClient.status(client.controlSocket()).get("counters");
                System.out.println("flood: client counters " + cc);
                System.out.println("flood: client packet layer " + io.rsock.core.control.ControlClient.status(client.controlSocket()).get("packet")
                        + ", server packet layer " + status.get("packet"));
                System.out.println("flood: client namespace UDP " + lab.net.run(Side.CLIENT, "sh", "-c", "grep Udp: /proc/net/snmp").replace('\n', ' '));
                System.out.println("flood: server namespace UDP " + lab.net.run(Side.SERVER, "sh", "-c", "grep Udp: /proc/net/snmp").replace('\n', ' '));
                System.out.println("flood: server counters " + counters);
                System.out.printf("flood: server RSS %d MB before, %d MB after, peak %d MB (bound %d MB); sessions %s, "
                        + "session.evicted %s, tcp.syn_dropped %s%n", rssBefore / 1024, rssAfter / 1024, peak / 1024,
                        RSS_BOUND_MB, status.get("sessions"), counters.get("session.evicted"), counters.get("tcp.syn_dropped"));
                // The flood generators, both tunnel ends, the echo and the probe share two cores: what the
                // flow loses during the floods is CPU the machine has not (0.5-0.8 % at load 2-4, 2.2 % at
                // load 7, measured); after them it must lose nothing.
                assertTrue(during.lossPercent() < 3, () -> "during the floods: " + during);
                assertTrue(after.lossPercent() < 1, () -> "after the floods: " + after);
                assertTrue(peak / 1024 < RSS_BOUND_MB, () -> "peak RSS " + peak / 1024 + " MB");
                assertTrue(((Number) status.get("sessions")).intValue() <= 16384, status::toString);

                // No amplification: each spoofed source sent one SYN and may get at most that many bytes back.
                Map<Integer, Long> back = bytesTo(pcap);
                long replies = back.values().stream().mapToLong(Long::longValue).sum();
                int over = 0;
                for (Map.Entry<Integer, Long> e : back.entrySet()) {
                    if (e.getValue() > PacketFlood.synLength(e.getKey())) {
                        over++;
                    }
                }
                System.out.printf("flood: %d spoofed sources got %d bytes back in all (%d SYN-ACKs), %d got more than they sent%n",
                        back.size(), replies, back.size(), over);
                assertEquals(0, over, "sources answered with more bytes than their SYN");
                String log = server.output();
                long limitLines = log.lines().filter(l -> l.contains("limits hit")).count();
                System.out.println("flood: 'limits hit' log lines: " + limitLines);
                assertTrue(limitLines >= 1 && limitLines <= 12, () -> limitLines + " limit lines in\n" + log);
            }
        }
    }

    @Test
    void randomTruncatedAndForgedPacketsAreCountedNeverAnsweredBeyondTheirSize() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "abuse-junk")) {
            LabProcess server = lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer().warmUp(lab)) {
                Map<?, ?> before = (Map<?, ?>) lab.serverStatus().get("packet");
                long rxBefore = rxPackets(lab);
                Path pcap = lab.work.resolve("junk-replies.pcap");
                Path ledger = lab.work.resolve("junk-ledger.bin");
                // TCP only: what rsock sends. (The server's kernel answers some of the random IPv4 headers with ICMP
                // parameter problems; that is the kernel's business, and those are no larger than what came.)
                LabProcess dump = capture(lab, pcap, "tcp and dst net 10.98.0.0/16");
                LabProcess junk = flood(lab, Side.ISP, "junk", "junk", "--target", TestNetwork.SERVER_ADDRESS, "--ports",
                        RsockLab.PORTS, "--count", "" + JUNK_PACKETS, "--seconds", "60", "--ledger", ledger.toString());
                CompletableFuture<ProbeResult> during = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 1000, 1));
                assertEquals(0, junk.waitFor(90_000), junk::output);
                ProbeResult d = during.get();
                awaitCaptureDrained(lab);
                ProbeResult after = lab.probeTunnel(5000, 1200, 5000, 1);
                Thread.sleep(1000);
                dump.stop(5000);
                Map<String, Object> status = lab.serverStatus();
                Map<?, ?> packet = (Map<?, ?>) status.get("packet");
                Map<?, ?> counters = (Map<?, ?>) status.get("counters");
                System.out.println("junk: " + TcpTransfer.result(junk.output()));
                long arrived = rxPackets(lab) - rxBefore;
                long seen = n(packet, "captured") - n(before, "captured") + n(packet, "kernel_drops") - n(before, "kernel_drops");
                System.out.println("junk: packet layer before " + before + ", after " + packet);
                System.out.printf("junk: %d packets arrived at the server's s0 (all protocols, the tunnel's included), %d of them "
                        + "captured or dropped by the kernel's ring; the rest did not match the capture filter (TCP to the ports)%n",
                        arrived, seen);
                System.out.println("junk: tcp counters " + tcpCounters(counters));
                System.out.println("junk: probe during " + d + "; after " + after);
                long captured = n(packet, "captured");
                assertEquals(captured, n(packet, "delivered") + n(packet, "unmatched") + n(packet, "malformed")
                        + n(packet, "receiver_errors"), "every captured packet accounted for: " + packet);
                assertEquals(0, n(packet, "receiver_errors"), packet::toString);
                assertEquals(0, n(counters, "tcp.receiver_errors"), counters::toString);
                assertTrue(server.isAlive(), "the server died");
                assertTrue(d.lossPercent() < 1, () -> "during the junk: " + d);
                assertTrue(after.lossPercent() < 1, () -> "after the junk: " + after);

                long[] sent = new long[65536];
                try (DataInputStream in = new DataInputStream(Files.newInputStream(ledger))) {
                    for (int i = 0; i < sent.length; i++) {
                        sent[i] = in.readLong();
                    }
                }
                Map<Integer, Long> back = bytesTo(pcap);
                int over = 0;
                long payloadBack = 0;
                for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
                    payloadBack += tcpPayload(p);
                }
                for (Map.Entry<Integer, Long> e : back.entrySet()) {
                    if (e.getValue() > sent[e.getKey() & 0xFFFF]) {
                        over++;
                    }
                }
                long total = back.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("junk: %d sources got %d bytes back (RSTs of a closed port), %d payload bytes; %d got more than they sent%n",
                        back.size(), total, payloadBack, over);
                assertEquals(0, over, "sources answered with more bytes than they sent");
                assertEquals(0, payloadBack, "an answer carried payload");
            }
        }
    }

    @Test
    void aClientWithTheWrongSecretGetsNoFrameBackAndIsToldWhy() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "abuse-forged")) {
            lab.server("tcp");
            Path pcap = lab.work.resolve("forged-replies.pcap");
            LabProcess dump = capture(lab, pcap, "src host " + TestNetwork.SERVER_ADDRESS + " and tcp");
            try (RsockLab.Client client = lab.client("tcp", "--hash", "not-the-secret")) {
                long deadline = System.currentTimeMillis() + 20_000;
                while (!client.process().output().contains("server does not answer") && System.currentTimeMillis() < deadline) {
                    lab.probeTunnel(50, 200, 100, 1);
                }
                Thread.sleep(500);
                dump.stop(5000);
                assertTrue(client.process().output().contains("server does not answer"), client.process()::output);
                long packets = 0;
                long payload = 0;
                for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
                    packets++;
                    payload += tcpPayload(p);
                }
                Map<?, ?> counters = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("forged: the server sent %d TCP segments (closed-port RSTs) with %d payload bytes; "
                        + "tcp.syn_stranger %s, frame.bad_mac %s, conn.unauthenticated_closed %s%n", packets, payload,
                        counters.get("tcp.syn_stranger"), counters.get("frame.bad_mac"), counters.get("conn.unauthenticated_closed"));
                assertEquals(0, payload, "the server answered forged frames with data");
                // Its SYNs carry no token the server accepts: it never gets as far as a frame.
                assertTrue(n(counters, "tcp.syn_stranger") > 0, counters::toString);
            }
        }
    }

    /** Waits (bounded) until the server's capture stops growing: the backlog of the ring is worked off. */
    private static void awaitCaptureDrained(RsockLab lab) throws Exception {
        long last = -1;
        for (int i = 0; i < 30; i++) {
            long now = n((Map<?, ?>) lab.serverStatus().get("packet"), "captured");
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
    }

    private static LabProcess capture(RsockLab lab, Path pcap, String filter) throws InterruptedException {
        return lab.capture(Side.SERVER, "s0", pcap, filter);
    }

    private static LabProcess flood(RsockLab lab, Side side, String name, String... args) {
        return lab.flood(side, name, args);
    }

    /** TCP payload bytes of a captured IPv4 packet (by its header's lengths: the capture may be cut short). */
    private static int tcpPayload(ByteBuffer p) {
        int t = Ipv4.headerLength(p, 0);
        return Ipv4.totalLength(p, 0) - t - Tcp.headerLength(p, t);
    }

    /** Bytes of the captured packets per destination address. */
    private static Map<Integer, Long> bytesTo(Path pcap) throws IOException {
        Map<Integer, Long> m = new HashMap<>();
        for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
            m.merge(Ipv4.destination(p, 0), (long) Ipv4.totalLength(p, 0), Long::sum);
        }
        return m;
    }

    /** Packets received on the server's veth so far. */
    private static long rxPackets(RsockLab lab) {
        return Long.parseLong(lab.net.run(Side.SERVER, "cat", "/sys/class/net/s0/statistics/rx_packets").strip());
    }

    /** A line of /proc/PID/status in kB. */
    static long memoryKb(long pid, String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    private static long n(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Map<String, Object> tcpCounters(Map<?, ?> counters) {
        Map<String, Object> out = new java.util.TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.toString().startsWith("tcp.") || k.toString().startsWith("frame.") || k.toString().startsWith("conn.")) {
                out.put(k.toString(), v);
            }
        });
        return out;
    }
}
