package io.rsock.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.core.config.Addresses;
import io.rsock.core.config.ConfigFile;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.frame.Association;
import io.rsock.core.config.PortList;
import io.rsock.core.config.UsageException;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameReader;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Reassembler;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.frame.ReplayWindow;
import io.rsock.core.stats.Counters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every decoder of the host fed hostile input: frames (codec and reader), fragments, the replay
 * window, the port list and the config file. None may throw anything but its documented error, and
 * no frame that was not built with the key may ever be accepted.
 */
class DecoderFuzzTest {
    private static final FrameKey KEY = FrameKey.forServer("fuzz", FrameProtection.NONE);
    private static final FrameKey CLIENT_KEY = FrameKey.forClient("fuzz", FrameProtection.NONE);
    private static final Association ASSOC = CLIENT_KEY.associate(7, 1, 2, -1);
    /** A dotted quad of 0..255: an IPv4 literal getByName never looks up. */
    private static final String QUAD = "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
    private final FrameCodec codec = new FrameCodec(KEY);
    private final FrameCodec clientCodec = new FrameCodec(CLIENT_KEY);

    @Property(tries = 20_000)
    void randomBytesAreNeverAcceptedAsAFrame(@ForAll @Size(max = 300) byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int r = codec.decode(b, new ReceivedFrame(), ASSOC);
        assertTrue(r == FrameCodec.TRUNCATED || r == FrameCodec.BAD_VERSION || r == FrameCodec.BAD_MAC
                || r == FrameCodec.REFLECTED, "decode gave " + r);
        assertEquals(0, b.position(), "a refused frame must leave the position");
    }

    @Property(tries = 20_000)
    void aFrameWithAnyByteChangedOrCutIsRefused(@ForAll @Size(max = 200) byte[] payload,
            @ForAll @IntRange(min = 0, max = 6) int type, @ForAll int where, @ForAll byte xor, @ForAll boolean cut) {
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + payload.length);
        assertTrue(clientCodec.encode(out, ASSOC, type, 0, 7, 9, 1234, ByteBuffer.wrap(payload)));
        out.flip();
        int len = out.remaining();
        int at = Math.floorMod(where, len);
        if (cut) {
            out.limit(at);
        } else {
            out.put(at, (byte) (out.get(at) ^ (xor == 0 ? 1 : xor)));
        }
        assertTrue(codec.decode(out, new ReceivedFrame(), ASSOC) < 0, "a tampered frame was accepted");
    }

    @Property(tries = 5_000)
    void theReaderSurvivesAnyPacketAndOnlyVisitsGoodFrames(@ForAll @Size(max = 400) byte[] junk, @ForAll boolean goodFirst) {
        ByteBuffer b = ByteBuffer.allocate(FrameCodec.OVERHEAD + 16 + junk.length);
        if (goodFirst) {
            clientCodec.encode(b, ASSOC, FrameType.DATA, 0, 1, 2, 3, ByteBuffer.wrap(new byte[16]));
        }
        b.put(junk).flip();
        FrameReader reader = new FrameReader(KEY, new Counters());
        int[] visited = {0};
        int n = reader.read(b, null, (c, id) -> ASSOC, (c, f, buf) -> {
            visited[0]++;
            assertEquals(16, f.payloadLength());
            return true;
        });
        // Random junk never authenticates: the good frame is visited, nothing else ever is.
        assertEquals(goodFirst ? 1 : 0, visited[0]);
        assertEquals(goodFirst ? 1 : junk.length == 0 ? 0 : -1, n);
    }

    @Property(tries = 5_000)
    void fragmentsOfAnyShapeNeverBreakTheReassembler(@ForAll @Size(max = 60) List<@IntRange(max = 255) Integer> fragmentBytes,
            @ForAll @IntRange(max = 40) int counterSpread) {
        Counters c = new Counters();
        Reassembler r = new Reassembler(4, 1_000_000_000L, c.get("dropped"), c.get("evicted"));
        ByteBuffer src = ByteBuffer.allocate(64);
        long now = 0;
        int i = 0;
        for (int fb : fragmentBytes) {
            ByteBuffer whole = r.add(i % 3, (i * 7L) % (counterSpread + 1), fb, src, 0, 1 + i % 60, now += 1_000);
            if (whole != null) {
                assertTrue(whole.remaining() <= 15 * 60);
            }
            assertTrue(r.pendingCount() <= 4);
            i++;
        }
    }

    @Property(tries = 2_000)
    void theReplayWindowNeverAcceptsACounterTwice(@ForAll @Size(max = 300) List<@IntRange(max = 5000) Integer> counters) {
        ReplayWindow w = new ReplayWindow();
        Set<Long> accepted = new HashSet<>();
        for (int c : counters) {
            if (w.accept(c)) {
                assertTrue(accepted.add((long) c), "accepted twice: " + c);
            }
        }
    }

    @Property(tries = 20_000)
    void portListsEitherParseToValidPortsOrSayWhy(@ForAll("portSpecs") String spec) {
        PortList p;
        try {
            p = PortList.parse(spec);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        for (int port : p.ports()) {
            assertTrue(port >= 1 && port <= 65535, spec);
        }
        assertEquals(p, PortList.parse(p.toString()));
    }

    @Provide
    Arbitrary<String> portSpecs() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789,- ").ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("0123456789,-").ofMaxLength(40));
    }

    /** -t, -l, --lcapIp, --metrics: IPv4, IPv6, brackets, zones, ports and stray characters parse or say why in one line. */
    @Property(tries = 20_000)
    void addressesOfEitherFamilyParseOrSayWhy(@ForAll("addressSpecs") String spec) {
        for (Function<String, Object> parser : List.<Function<String, Object>>of(Addresses::hostPort, Addresses::hostList)) {
            try {
                assertTrue(parser.apply(spec) != null);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && e.getMessage().lines().count() == 1, e.getMessage());
            }
        }
    }

    /**
     * Address lists made of literals (dotted quads; hex, colons and dots, bracketed or not, with a
     * zone or a port or not), then a stray bracket, colon or comma put anywhere: shapes that reach
     * every branch of the parser, and never a host name, whose lookup would leave this machine.
     */
    @Provide
    Arbitrary<String> addressSpecs() {
        Arbitrary<String> quad = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.stream().map(String::valueOf).collect(Collectors.joining(".")));
        Arbitrary<String> v6 = Arbitraries.strings().withChars("0123456789abcdef:.").ofMaxLength(30)
                .map(x -> x.indexOf(':') < 0 ? x + "::" : x).map(x -> x.startsWith(".") ? "1" + x : x);
        Arbitrary<String> zoned = Arbitraries.oneOf(v6, v6.map(x -> x + "%lo"), v6.map(x -> "[" + x + "]"));
        Arbitrary<String> host = Arbitraries.oneOf(quad, zoned);
        Arbitrary<String> part = Arbitraries.oneOf(host, host.map(h -> h + ":" + 9999), host.map(h -> h + ":99999"),
                host.map(h -> h + ":"), host.map(h -> "[" + h + "]:1"));
        Arbitrary<String> list = part.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
        return Arbitraries.oneOf(list, Combinators.combine(list, Arbitraries.of("[", "]", ":", ",", ""), Arbitraries.integers().between(0, 60))
                .as((l, c, at) -> l.substring(0, Math.min(at, l.length())) + c + l.substring(Math.min(at, l.length()))))
                .filter(DecoderFuzzTest::resolvesNothing);
    }

    /**
     * Nothing that getByName would hand to a resolver (the test must not send a DNS query): every
     * host part without a colon (the parser keeps those with one to literals) is empty, a number or
     * a dotted quad.
     */
    private static boolean resolvesNothing(String spec) {
        List<String> hosts = new ArrayList<>();
        for (String whole : spec.split(",", -1)) {
            hosts.add(whole); // a part of -t's list
        }
        hosts.add(spec.lastIndexOf(':') > 0 ? spec.substring(0, spec.lastIndexOf(':')) : spec); // the host of ip:port
        for (String h : hosts) {
            String bare = h.replace("[", "").replace("]", "");
            boolean nameShaped = bare.matches("[A-Za-z0-9.-]+"); // what the parser would look up
            if (bare.indexOf(':') < 0 && nameShaped && !bare.matches(QUAD) && !bare.matches("\\d{1,9}")) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 3_000)
    void configFilesEitherLoadOrGiveAUsageError(@ForAll("configTexts") String text) throws IOException {
        Path f = Files.createTempFile("rsock-fuzz", ".json");
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8);
            try {
                List<String> args = ConfigFile.toArguments(f, k -> k.length() < 12, k -> k.equals("v"));
                for (String a : args) {
                    assertTrue(a.startsWith("-"), a);
                }
            } catch (UsageException e) {
                assertTrue(e.getMessage().startsWith("-f: "), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Provide
    Arbitrary<String> configTexts() {
        Arbitrary<String> keys = Arbitraries.of("taddr", "ports", "v", "hash", "opt", "duration", "_c", "x", "verylongunknownkey", "");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("1", "true", "false", "null", "[]", "{}", "[1,\"a\"]",
                "{\"a\":1}", "{\"a\":{}}", "[[1]]", "\"s\"", "1e400", "-0"), Arbitraries.strings().ofMaxLength(8).map(s -> "\"" + s + "\""));
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(keys, values).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> objects = pair.list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(objects, Arbitraries.strings().ofMaxLength(60),
                objects.map(o -> o.substring(0, o.length() / 2)), Arbitraries.of("", "[]", "null", "1", "\"x\"", "{", "\uFEFF{}"));
    }
}
