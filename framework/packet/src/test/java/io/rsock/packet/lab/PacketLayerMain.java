package io.rsock.packet.lab;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import io.rsock.packet.InjectorKind;
import io.rsock.packet.PacketLayer;
import io.rsock.packet.PacketLayerOptions;
import io.rsock.packet.PacketStats;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.RouteLookup;
import io.rsock.packet.firewall.FirewallManager;
import io.rsock.packet.link.LocalLink;
import io.rsock.packet.link.MacAddress;
import io.rsock.packet.link.NextHopProbe;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the lab tests run inside a namespace, since a JVM cannot enter one: the real packet layer on
 * the namespace's device. Prints {@code READY ...} once set up and one {@code RESULT {...}} line
 * at the end, which {@link LabOutput} parses. Every mode ends on its own within its time bound.
 *
 * <pre>
 * receive  DEVICE SECONDS EXPECT FILTER...   FILTER = proto:localPort:remote:remotePort (remote "-" for any)
 * send     DEVICE raw|pcap COUNT PACKET...   PACKET = proto:srcPort:dst:dstPort:payload
 * filters  DEVICE                            the kernel filter after each register/unregister
 * churn    DEVICE SECONDS EXPECT FILTER      counts FILTER's packets while other flows come and go
 * robust   DEVICE SECONDS                    a receiver that throws, one that registers from its callback, use after close
 * firewall FILTER                            installs a real drop rule and waits to be killed
 * probe    DEVICE PEER                       the portable path's next-hop probe towards PEER
 * </pre>
 */
public final class PacketLayerMain {
    private PacketLayerMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "receive" -> receive(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), List.of(args).subList(4, args.length));
            case "send" -> send(args[1], args[2], Integer.parseInt(args[3]), List.of(args).subList(4, args.length));
            case "filters" -> filters(args[1]);
            case "churn" -> churn(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
            case "robust" -> robust(args[1], Integer.parseInt(args[2]));
            case "firewall" -> firewall(args[1]);
            case "sizing" -> sizing(args[1]);
            case "probe" -> probe(args[1], args[2]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        System.exit(0); // the capture thread is a daemon, but do not wait on anything else either
    }

    private static void receive(String device, int seconds, int expect, List<String> filters) throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device))) {
            for (String f : filters) {
                layer.register(parseFilter(f), p -> received.add(describe(p)));
            }
            System.out.println("READY " + layer.currentFilter());
            System.out.flush();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (received.size() < expect && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // anything that should not come would come now
            PacketStats s = layer.stats();
            List<String> copy;
            synchronized (received) {
                copy = List.copyOf(received);
            }
            System.out.println("RESULT {\"received\":" + LabOutput.jsonArray(copy) + ",\"captured\":" + s.captured()
                    + ",\"delivered\":" + s.delivered() + ",\"unmatched\":" + s.unmatched() + ",\"malformed\":" + s.malformed()
                    + ",\"filter\":" + LabOutput.jsonString(layer.currentFilter()) + "}");
        }
    }

    /**
     * {@code injector} is {@code raw} or {@code pcap}, optionally {@code :heap} or {@code :direct}: then
     * each packet is sent from that kind of buffer at position 7, with other bytes before and after
     * it, as a transport writing into a larger buffer would hand it over.
     */
    private static void send(String device, String injectorSpec, int count, List<String> packets) throws Exception {
        String[] kind = injectorSpec.split(":");
        InjectorKind injector = InjectorKind.parse(kind[0]);
        String placement = kind.length > 1 ? kind[1] : "plain";
        int sent = 0;
        int failed = 0;
        try (PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device).withInjector(injector))) {
            String src = layer.localAddress().getHostAddress();
            if (placement.equals("batch")) { // every packet of every round in one send(packets, count)
                List<ByteBuffer> all = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    for (String spec : packets) {
                        all.add(place(parsePacket(src, spec), "direct"));
                    }
                }
                String peer = packets.get(0).split(":")[2];
                awaitNeighbour(layer, parsePacket(src, "udp:40009:" + peer + ":9:probe")); // a port nobody captures

                sent = layer.send(all.toArray(ByteBuffer[]::new), all.size());
                failed = all.size() - sent;
                count = 0;
            }
            for (int i = 0; i < count; i++) {
                for (String spec : packets) {
                    ByteBuffer packet = place(parsePacket(src, spec), placement);
                    // The pcap injector drops while the next hop's MAC is unknown (it asks the kernel to
                    // resolve it): retry for a bounded while, as a transport's retransmission would.
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (!layer.send(packet.duplicate())) {
                        failed++;
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("could not send " + spec + " through " + layer.injectorName());
                        }
                        Thread.sleep(50);
                    }
                    sent++;
                    Thread.sleep(5);
                }
            }
            System.out.println("RESULT {\"sent\":" + sent + ",\"failed\":" + failed + ",\"injector\":" + LabOutput.jsonString(layer.injectorName())
                    + ",\"source\":" + LabOutput.jsonString(src) + "}");
        }
    }

    /**
     * The pcap injector drops while it learns the next hop's MAC: one probe packet, resent until it
     * goes, first (the receiver ignores it: its payload is not what the test counts).
     */
    private static void awaitNeighbour(PacketLayer layer, ByteBuffer probe) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!layer.send(probe.duplicate()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static ByteBuffer place(ByteBuffer packet, String placement) {
        if (placement.equals("plain")) {
            return packet;
        }
        int n = packet.remaining();
        ByteBuffer b = placement.equals("direct") ? ByteBuffer.allocateDirect(n + 12) : ByteBuffer.allocate(n + 12);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0xEE);
        }
        b.put(7, packet, packet.position(), n);
        return b.position(7).limit(7 + n);
    }

    private static void probe(String name, String peer) throws Exception {
        Device device = new DeviceSelector(RouteLookup.NONE).select(name, null, null);
        Optional<NextHopProbe.Found> found = new NextHopProbe(device, LocalLink.of(device), 1000).probe(Packets.addr(peer));
        System.out.println("RESULT {\"mac\":" + LabOutput.jsonString(found.map(f -> MacAddress.format(f.mac())).orElse("none"))
                + ",\"address\":" + LabOutput.jsonString(found.map(f -> f.address() == 0 ? "" : LocalLink.format(f.address())).orElse(""))
                + ",\"how\":" + LabOutput.jsonString(found.map(NextHopProbe.Found::how).orElse("")) + "}");
    }

    private static void sizing(String device) throws Exception {
        try (PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device))) {
            System.out.println("RESULT {\"snaplen\":" + layer.captureSizing().snaplen() + ",\"ringBytes\":"
                    + layer.captureSizing().ringBytes() + ",\"mtu\":" + layer.mtu() + "}");
        }
    }

    /**
     * Counts the packets of {@code filter} while, as fast as the layer allows, other flows register
     * and leave: what a client's conns do when they redial, park or rotate ports. Each change
     * installs a new kernel filter; none may cost a packet of a flow that stays.
     */
    private static void churn(String device, int seconds, int expect, String filter) throws Exception {
        AtomicInteger received = new AtomicInteger();
        int changes = 0;
        try (PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device))) {
            layer.register(parseFilter(filter), p -> received.incrementAndGet());
            System.out.println("READY " + layer.currentFilter());
            System.out.flush();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            int port = 20_000;
            while (received.get() < expect && System.nanoTime() < deadline) {
                layer.register(parseFilter("tcp:" + port + ":-:0"), p -> { }).close();
                Thread.sleep(2); // a few hundred changes a second: each one's moment is what counts
                port = port == 29_999 ? 20_000 : port + 1;
                changes += 2;
            }
            Thread.sleep(300); // late packets
            PacketStats s = layer.stats();
            System.out.println("RESULT {\"received\":" + received.get() + ",\"changes\":" + changes + ",\"captured\":" + s.captured()
                    + ",\"kernelDrops\":" + s.kernelDrops() + "}");
        }
    }

    private static void filters(String device) throws Exception {
        List<String> steps = new ArrayList<>();
        try (PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device))) {
            steps.add(layer.currentFilter());
            Registration tcp = layer.register(parseFilter("tcp:10001:10.201.1.2:0"), p -> { });
            steps.add(layer.currentFilter());
            Registration udp = layer.register(parseFilter("udp:5000:-:0"), p -> { });
            steps.add(layer.currentFilter());
            Registration icmp = layer.register(parseFilter("icmp:4660:10.201.1.2:0"), p -> { });
            Registration icmp6 = layer.register(parseFilter("icmp6:4660:[fd00:201:1::2]:0"), p -> { });
            Registration tcp6 = layer.register(parseFilter("tcp:10001:[fd00:201:1::2]:40000"), p -> { });
            Registration gre = layer.register(parseFilter("47:0:10.201.1.2:0"), p -> { });
            steps.add(layer.currentFilter());
            String duplicate;
            try {
                layer.register(parseFilter("udp:5000:-:0"), p -> { });
                duplicate = "accepted";
            } catch (Exception e) {
                duplicate = e.getMessage();
            }
            udp.close();
            steps.add(awaitChange(layer::currentFilter, steps.get(steps.size() - 1)));
            tcp.close();
            icmp.close();
            icmp6.close();
            tcp6.close();
            gre.close();
            steps.add(awaitFilter(layer::currentFilter, "less 1"));
            System.out.println("RESULT {\"steps\":" + LabOutput.jsonArray(steps) + ",\"duplicate\":" + LabOutput.jsonString(duplicate) + "}");
        }
    }

    private static void robust(String device, int seconds) throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<Registration> inner = Collections.synchronizedList(new ArrayList<>());
        PacketLayer layer = PacketLayer.open(PacketLayerOptions.defaults().withDevice(device));
        PacketStats s;
        try {
            layer.register(parseFilter("tcp:10001:-:0"), p -> {
                String d = describe(p);
                if (d.endsWith("boom")) {
                    throw new IllegalStateException("a receiver's bug");
                }
                received.add(d);
                if (inner.isEmpty()) {
                    try { // on the capture thread: the filter widens right after this callback returns
                        inner.add(layer.register(parseFilter("tcp:10002:-:0"), q -> received.add(describe(q))));
                    } catch (Exception e) {
                        received.add("register failed: " + e.getMessage());
                    }
                }
            });
            System.out.println("READY " + layer.currentFilter());
            System.out.flush();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            s = layer.stats();
        } finally {
            layer.close();
        }
        String afterClose;
        try {
            layer.register(parseFilter("udp:1:-:0"), p -> { });
            afterClose = "accepted";
        } catch (Exception e) {
            afterClose = e.getMessage();
        }
        boolean sendAfterClose = layer.send(Packets.udp("10.0.0.1", 1, "10.0.0.2", 2, "x"));
        List<String> copy;
        synchronized (received) {
            copy = List.copyOf(received);
        }
        System.out.println("RESULT {\"received\":" + LabOutput.jsonArray(copy) + ",\"receiverErrors\":" + s.receiverErrors()
                + ",\"registerAfterClose\":" + LabOutput.jsonString(afterClose) + ",\"sendAfterClose\":\"" + sendAfterClose + "\"}");
    }

    /** Unregistering narrows the filter asynchronously: wait (bounded) for it to change. */
    private static String awaitChange(Supplier<String> current, String from) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (current.get().equals(from) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return current.get();
    }

    private static String awaitFilter(Supplier<String> current, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!current.get().equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return current.get();
    }

    private static void firewall(String filter) throws Exception {
        FirewallManager m = FirewallManager.create(FirewallManager.Backend.NFTABLES);
        m.dropInbound(parseFilter(filter));
        System.out.println("READY pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000); // killed by the test long before
        m.closeAll();
    }

    /** {@code proto:localPort:remote:remotePort}, the remote {@code -} for any, an IPv6 one in brackets. */
    static PacketFilter parseFilter(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^:]+):(\\d+):(\\[[^]]+]|[^:]+):(\\d+)").matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException(spec);
        }
        int proto = switch (m.group(1)) {
            case "tcp" -> PacketFilter.TCP;
            case "udp" -> PacketFilter.UDP;
            case "icmp" -> PacketFilter.ICMP;
            case "icmp6" -> PacketFilter.ICMPV6;
            default -> Integer.parseInt(m.group(1));
        };
        String remote = m.group(3).replace("[", "").replace("]", "");
        return new PacketFilter(proto, Integer.parseInt(m.group(2)), remote.equals("-") ? null : Packets.ip(remote).toInetAddress(),
                Integer.parseInt(m.group(4)));
    }

    static ByteBuffer parsePacket(String src, String spec) {
        String[] f = spec.split(":", 5);
        return switch (f[0]) {
            case "tcp" -> Packets.tcp(src, Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), f[4]);
            case "udp" -> Packets.udp(src, Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), f[4]);
            default -> throw new IllegalArgumentException(spec);
        };
    }

    /** {@code tcp 10.201.1.2:40000>10001 hello}: protocol, source, destination port, payload. */
    static String describe(ByteBuffer p) {
        int ip = p.position();
        int l4 = ip + Ipv4.headerLength(p, ip);
        int proto = Ipv4.protocol(p, ip);
        String src = Packets.dotted(Ipv4.source(p, ip));
        int sport = p.getShort(l4) & 0xFFFF;
        int dport = p.getShort(l4 + 2) & 0xFFFF;
        int data = proto == PacketFilter.TCP ? l4 + ((p.get(l4 + 12) & 0xF0) >> 2) : l4 + 8;
        byte[] payload = new byte[Math.max(0, p.limit() - data)];
        p.get(data, payload);
        String name = proto == PacketFilter.TCP ? "tcp" : proto == PacketFilter.UDP ? "udp" : "proto" + proto;
        return name + " " + src + ":" + sport + ">" + dport + " " + new String(payload, StandardCharsets.UTF_8);
    }
}
