package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Shell;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strangers at a server, in the netns lab, the attacker in the isp namespace: a port scan and plain
 * {@code connect()}s, a spoofed SYN flood while a new client joins, blind RSTs at live fake-TCP
 * conns, a push at the ICMP sequence window, and a flood of empty datagrams at the udp transport.
 * Each test checks what came back to the attacker (nothing, or exactly what a closed port of the
 * same host answers), what reached {@code -t} (exactly the live flow's datagrams) and that the live
 * flow lost nothing.
 */
class StrangersIT {
    /** A port of the server nothing listens on: the kernel's own closed-port answer, to compare with. */
    static final int CLOSED_PORT = 10099;
    /** The live flow during each attack: slow enough that a loaded 2-core machine loses nothing of it. */
    static final int LIVE_COUNT = 2000;
    static final int LIVE_RATE = 200;
    /** Floods run until the test stops them, or this long at most. */
    static final String FLOOD_SECONDS = "90";

    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void aScanCannotTellAnRsockPortFromAClosedOne() throws Exception {
        RsockLab.assumeCommand("nmap");
        RsockLab.assumeCommand("nc");
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "strangers-scan")) {
            lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                Path pcap = lab.work.resolve("scan.pcap");
                LabProcess dump = lab.capture(Side.ISP, "i1", pcap, "tcp and host " + TestNetwork.SERVER_ADDRESS + " and host "
                        + TestNetwork.ISP_SERVER_SIDE);
                long targetBefore = counter(lab, "target.sent");
                CompletableFuture<ProbeResult> live = liveFlow(lab);
                String scanned = RsockLab.PORTS + "," + CLOSED_PORT;
                String nmap = lab.net.tryRun(Side.ISP, "nmap", "-sS", "-Pn", "-n", "--reason", "-p", scanned, "-oX", "-",
                        TestNetwork.SERVER_ADDRESS).out();
                Map<Integer, String> connects = new TreeMap<>();
                for (int port : ports()) {
                    // A plain connect(): what nc -z, and any TCP client, sees.
                    Shell.Result r = lab.net.tryRun(Side.ISP, "nc", "-z", "-v", "-w", "3", TestNetwork.SERVER_ADDRESS, "" + port);
                    connects.put(port, "exit " + r.exitCode() + ": " + r.out().strip().replace("" + port, "PORT"));
                }
                ProbeResult flow = live.get();
                Thread.sleep(500);
                dump.stop(5000);

                Map<Integer, String> states = nmapStates(nmap);
                System.out.println("scan: nmap " + states + "; connect() " + connects + "; live flow " + flow);
                for (int port : ports()) {
                    assertEquals(states.get(CLOSED_PORT), states.get(port), "nmap's verdict on " + port + " vs the closed port\n" + nmap);
                    assertEquals(connects.get(CLOSED_PORT), connects.get(port), "connect() to " + port + " vs the closed port");
                }
                assertTrue(states.get(CLOSED_PORT).startsWith("closed reset"), states::toString);
                assertFalse(connects.get(CLOSED_PORT).startsWith("exit 0"), connects::toString);

                Map<Integer, Set<String>> answers = answersByPort(pcap);
                System.out.println("scan: answers on the wire " + answers);
                for (int port : ports()) {
                    assertEquals(answers.get(CLOSED_PORT), answers.get(port), "the bytes answering a SYN at " + port);
                }
                assertEquals(flow.sent(), flow.received(), () -> "the live flow lost " + flow);
                assertEquals(flow.sent(), counter(lab, "target.sent") - targetBefore, "what reached -t");
                assertTrue(counter(lab, "tcp.syn_stranger") > 0);
            }
        }
    }

    @Test
    void aSpoofedSynFloodDoesNotKeepANewClientOut() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "strangers-synflood")) {
            lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                Path pcap = lab.work.resolve("handshakes.pcap");
                LabProcess dump = lab.capture(Side.SERVER, "s0", pcap, "tcp[tcpflags] & tcp-syn != 0 and host "
                        + TestNetwork.CLIENT_ADDRESS);
                long targetBefore = counter(lab, "target.sent");
                // 2 000 spoofed SYNs a second, from the client's own subnet (never the client's address), until stopped.
                LabProcess flood = lab.flood(Side.ISP, "syn-flood", "syn", "--target", TestNetwork.SERVER_ADDRESS, "--ports",
                        RsockLab.PORTS, "--count", "180000", "--rate", "2000", "--seconds", FLOOD_SECONDS, "--sources",
                        "10.201.1.3-10.201.1.254");
                CompletableFuture<ProbeResult> live = liveFlow(lab);
                Thread.sleep(3000); // the flood in full swing
                long joinedAtMicros = System.currentTimeMillis() * 1000;
                try (RsockLab.Client late = lab.client("tcp", "-l", "127.0.0.1:" + (RsockLab.APP_PORT + 1)).awaitServer()) {
                    assertTrue(flood.isAlive(), "the flood ended before the new client joined: " + flood.output());
                    ProbeResult flow = live.get();
                    flood.stop(5000);
                    Thread.sleep(500);
                    dump.stop(5000);
                    long joinMillis = firstHandshakeMillis(pcap, joinedAtMicros);
                    Map<String, Object> status = lab.serverStatus();
                    System.out.printf("synflood: %s; the new client's first handshake took %d ms; live flow %s; tcp.syn_stranger %d, "
                            + "tcp.syn_dropped %d, tcp.rst_limited %d%n", io.rsock.netlab.TcpTransfer.result(flood.output()), joinMillis,
                            flow, counter(lab, "tcp.syn_stranger"), counter(lab, "tcp.syn_dropped"), counter(lab, "tcp.rst_limited"));
                    assertTrue(joinMillis <= 3000, "the new client's first handshake took " + joinMillis + " ms");
                    assertEquals(0, counter(lab, "tcp.syn_dropped"), "no half-open slot was ever short");
                    assertTrue(counter(lab, "tcp.syn_stranger") >= 6000, status::toString);
                    assertEquals(flow.sent(), flow.received(), () -> "the live flow lost " + flow);
                    assertEquals(flow.sent(), counter(lab, "target.sent") - targetBefore, "what reached -t");
                }
            }
        }
    }

    @Test
    void blindRstsNearTheSequenceNumberLeaveLiveConnsAlone() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "strangers-rst")) {
            lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                Path pcap = lab.work.resolve("segments.pcap");
                LabProcess dump = lab.capture(Side.ISP, "i1", pcap, "tcp and src host " + TestNetwork.CLIENT_ADDRESS
                        + " and tcp[tcpflags] & tcp-push != 0");
                long targetBefore = counter(lab, "target.sent");
                long opened = counter(lab, "conn.opened");
                CompletableFuture<ProbeResult> live = liveFlow(lab);
                Thread.sleep(3000);
                dump.stop(5000);
                // Off by one, a little and a lot, either way: all inside the window, none at exactly rcv.nxt.
                LabProcess rst = lab.flood(Side.ISP, "rst", "rst", "--pcap", pcap.toString(), "--offsets",
                        "1,-1,2,-2,3,-7,1001,-1001,65537,-65537,1048577");
                assertEquals(0, rst.waitFor(30_000), rst::output);
                ProbeResult flow = live.get();
                Map<?, ?> counters = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("rst: %s; live flow %s; server tcp.rst_received %s, tcp.drop_challenged %s, tcp.challenge_acks %s%n",
                        rst.output().strip().replace('\n', ' '), flow, counters.get("tcp.rst_received"),
                        counters.get("tcp.drop_challenged"), counters.get("tcp.challenge_acks"));
                assertEquals(0, counter(lab, "tcp.rst_received"), "an RST closed a conn");
                assertEquals(opened, counter(lab, "conn.opened"), "the client had to redial");
                assertTrue(counter(lab, "tcp.drop_challenged") >= 11, counters::toString);
                assertEquals(flow.sent(), flow.received(), () -> "the live flow lost " + flow);
                assertEquals(flow.sent(), counter(lab, "target.sent") - targetBefore, "what reached -t");
            }
        }
    }

    @Test
    void aPushAtTheIcmpSequenceWindowLeavesTheLiveFlowAlone() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "strangers-icmp")) {
            lab.server("icmp");
            try (RsockLab.Client client = lab.client("icmp").awaitServer()) {
                Path pcap = lab.work.resolve("requests.pcap");
                LabProcess dump = lab.capture(Side.ISP, "i1", pcap, "icmp[icmptype] == icmp-echo and src host "
                        + TestNetwork.CLIENT_ADDRESS);
                long targetBefore = counter(lab, "target.sent");
                CompletableFuture<ProbeResult> live = liveFlow(lab);
                Thread.sleep(3000);
                dump.stop(5000);
                // For each of the client's conns, requests from its address and identifier, 1 000 sequence numbers
                // apart, up to half the space ahead: a window that followed them would leave the client's own far behind.
                LabProcess push = lab.flood(Side.ISP, "echo-push", "echo", "--pcap", pcap.toString(), "--count", "30", "--step",
                        "1000");
                assertEquals(0, push.waitFor(30_000), push::output);
                ProbeResult flow = live.get();
                Map<?, ?> counters = (Map<?, ?>) lab.serverStatus().get("counters");
                System.out.printf("icmp push: %s; live flow %s; server icmp counters %s%n", push.output().strip().replace('\n', ' '),
                        flow, prefixed(counters, "icmp."));
                assertEquals(flow.sent(), flow.received(), () -> "the live flow lost " + flow);
                assertEquals(flow.sent(), counter(lab, "target.sent") - targetBefore, "what reached -t");
            }
        }
    }

    @Test
    void aFloodOfEmptyDatagramsTakesNoConnSlot() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "strangers-empty")) {
            lab.server("udp", "--max-conns", "32");
            try (RsockLab.Client client = lab.client("udp").awaitServer()) {
                long targetBefore = counter(lab, "target.sent");
                // Empty and frameless datagrams, 2 000 a second, each from a new source port, until stopped.
                LabProcess flood = lab.flood(Side.ISP, "empty-flood", "empty", "--target", TestNetwork.SERVER_ADDRESS, "--ports",
                        RsockLab.PORTS, "--count", "180000", "--rate", "2000", "--seconds", FLOOD_SECONDS);
                CompletableFuture<ProbeResult> live = liveFlow(lab);
                Thread.sleep(3000);
                try (RsockLab.Client late = lab.client("udp", "-l", "127.0.0.1:" + (RsockLab.APP_PORT + 1)).awaitServer()) {
                    assertTrue(flood.isAlive(), "the flood ended before the new client joined: " + flood.output());
                    ProbeResult flow = live.get();
                    flood.stop(5000);
                    Map<?, ?> counters = (Map<?, ?>) lab.serverStatus().get("counters");
                    System.out.printf("empty flood: %s; live flow %s; server conn.not_admitted %s, conn.rejected %s, "
                            + "conn.unauthenticated_closed %s, conns %s%n", io.rsock.netlab.TcpTransfer.result(flood.output()), flow,
                            counters.get("conn.not_admitted"), counters.get("conn.rejected"),
                            counters.get("conn.unauthenticated_closed"), lab.serverStatus().get("conns"));
                    assertEquals(0, counter(lab, "conn.rejected"), "--max-conns was reached");
                    assertTrue(counter(lab, "conn.not_admitted") >= 6000, counters::toString);
                    assertEquals(flow.sent(), flow.received(), () -> "the live flow lost " + flow);
                    assertEquals(flow.sent(), counter(lab, "target.sent") - targetBefore, "what reached -t");
                }
            }
        }
    }

    /** The live flow through the tunnel while an attack runs: {@value #LIVE_COUNT} datagrams at {@value #LIVE_RATE} a second. */
    private static CompletableFuture<ProbeResult> liveFlow(RsockLab lab) {
        return CompletableFuture.supplyAsync(() -> lab.probeTunnel(LIVE_COUNT, 200, LIVE_RATE, 1));
    }

    private static List<Integer> ports() {
        List<Integer> out = new ArrayList<>();
        String[] r = RsockLab.PORTS.split("-");
        for (int p = Integer.parseInt(r[0]); p <= Integer.parseInt(r[1]); p++) {
            out.add(p);
        }
        out.add(CLOSED_PORT);
        return out;
    }

    /** nmap's XML: port to "state reason ttl". */
    static Map<Integer, String> nmapStates(String xml) {
        Map<Integer, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("<port protocol=\"tcp\" portid=\"(\\d+)\"><state state=\"([\\w|-]+)\" reason=\"([\\w-]+)\" "
                + "reason_ttl=\"(\\d+)\"").matcher(xml);
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), m.group(2) + " " + m.group(3) + " ttl " + m.group(4));
        }
        return out;
    }

    /**
     * What the server sent the scanner from each port, as the fields a fingerprint looks at: every IPv4
     * header field but the addresses and checksum, the TCP flags, sequence number, header length, window,
     * urgent pointer and options, and whether the ack is the probe's sequence number plus one.
     */
    static Map<Integer, Set<String>> answersByPort(Path pcap) throws Exception {
        Map<Long, Integer> probeSeq = new TreeMap<>(); // (scanner port, server port) -> the SYN's seq
        List<ByteBuffer> packets = PcapFile.ipv4Packets(pcap);
        int server = Ipv4.toInt((java.net.Inet4Address) java.net.InetAddress.getByName(TestNetwork.SERVER_ADDRESS));
        for (ByteBuffer p : packets) {
            int t = Ipv4.headerLength(p, 0);
            if (Ipv4.destination(p, 0) == server && (Tcp.flags(p, t) & Tcp.SYN) != 0) {
                probeSeq.put((long) Tcp.sourcePort(p, t) << 16 | Tcp.destinationPort(p, t), Tcp.sequence(p, t));
            }
        }
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (ByteBuffer p : packets) {
            int t = Ipv4.headerLength(p, 0);
            if (Ipv4.source(p, 0) != server) {
                continue;
            }
            Integer seq = probeSeq.get((long) Tcp.destinationPort(p, t) << 16 | Tcp.sourcePort(p, t));
            int hl = Tcp.headerLength(p, t);
            byte[] options = new byte[Math.max(0, Math.min(hl, p.limit() - t) - Tcp.MIN_HEADER)];
            p.get(t + Tcp.MIN_HEADER, options);
            String shape = String.format("ip tos %d len %d id %d frag %04x ttl %d; tcp flags %02x seq %d hl %d win %d urg %d opts [%s] ack %s",
                    p.get(1) & 0xFF, Ipv4.totalLength(p, 0), p.getShort(4) & 0xFFFF, Ipv4.flagsAndFragment(p, 0), p.get(8) & 0xFF,
                    Tcp.flags(p, t), Tcp.sequence(p, t), hl, Tcp.window(p, t), p.getShort(t + 18) & 0xFFFF,
                    HexFormat.of().formatHex(options),
                    seq == null ? "unmatched" : Tcp.acknowledgment(p, t) == seq + 1 ? "syn+1" : "other");
            out.computeIfAbsent(Tcp.sourcePort(p, t), k -> new TreeSet<>()).add(shape);
        }
        return out;
    }

    /**
     * Milliseconds from the client's first SYN after {@code afterMicros} to the first SYN-ACK that
     * answers one of its SYNs (same ports), from a capture of the SYNs and SYN-ACKs to and from it.
     */
    static long firstHandshakeMillis(Path pcap, long afterMicros) throws Exception {
        long firstSyn = -1;
        Set<Long> asked = new TreeSet<>();
        for (PcapFile.Captured c : PcapFile.captured(pcap)) {
            ByteBuffer p = c.ip();
            int t = Ipv4.headerLength(p, 0);
            int flags = Tcp.flags(p, t);
            if (c.micros() < afterMicros) {
                continue;
            }
            if (flags == Tcp.SYN) {
                if (firstSyn < 0) {
                    firstSyn = c.micros();
                }
                asked.add((long) Tcp.sourcePort(p, t) << 16 | Tcp.destinationPort(p, t));
            } else if (flags == (Tcp.SYN | Tcp.ACK) && asked.contains((long) Tcp.destinationPort(p, t) << 16 | Tcp.sourcePort(p, t))) {
                return (c.micros() - firstSyn) / 1000;
            }
        }
        throw new AssertionError("no handshake of the new client in the capture: " + (firstSyn < 0 ? "no SYN" : "no SYN-ACK"));
    }

    private static long counter(RsockLab lab, String name) throws Exception {
        Object v = ((Map<?, ?>) lab.serverStatus().get("counters")).get(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Map<String, Object> prefixed(Map<?, ?> counters, String prefix) {
        Map<String, Object> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.toString().startsWith(prefix)) {
                out.put(k.toString(), v);
            }
        });
        return out;
    }
}
