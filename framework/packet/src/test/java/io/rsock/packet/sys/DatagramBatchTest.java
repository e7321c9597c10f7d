package io.rsock.packet.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.io.DatagramBatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The native batch and the portable one read the same datagrams the same way, over loopback only. */
class DatagramBatchTest {

    static Stream<Arguments> batches() {
        BiFunction<Integer, Integer, DatagramBatch> nativeBatch = MmsgDatagramBatch::create;
        BiFunction<Integer, Integer, DatagramBatch> portable = DatagramBatch::portable;
        return Stream.of(Arguments.of("native", nativeBatch), Arguments.of("portable", portable));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void readsWhatWaitsInBatchesWithSendersAndLengths(String name, BiFunction<Integer, Integer, DatagramBatch> make) throws Exception {
        if (name.equals("native")) {
            assertTrue(ChannelDescriptors.available(), "the tests run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as bin/rsock");
        }
        DatagramBatch batch = make.apply(4, 100);
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            rx.configureBlocking(false);
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(0, batch.receive(rx), "nothing waits yet");
            List<String> sent = List.of("one", "", "three", "four", "x".repeat(150), "six");
            for (int i = 0; i < sent.size(); i++) {
                (i % 2 == 0 ? a : b).send(ByteBuffer.wrap(sent.get(i).getBytes(StandardCharsets.US_ASCII)), rx.getLocalAddress());
            }
            Thread.sleep(50);
            List<String> got = new ArrayList<>();
            List<Object> from = new ArrayList<>();
            List<Boolean> cut = new ArrayList<>();
            int n;
            while ((n = batch.receive(rx)) > 0) {
                assertTrue(n <= 4);
                for (int i = 0; i < n; i++) {
                    ByteBuffer d = batch.datagram(i);
                    assertEquals(0, d.position());
                    byte[] bytes = new byte[d.remaining()];
                    d.get(bytes);
                    got.add(new String(bytes, StandardCharsets.US_ASCII));
                    from.add(batch.sender(i));
                    cut.add(batch.truncated(i));
                }
            }
            assertEquals(List.of("one", "", "three", "four", "x".repeat(100), "six"), got, "cut to maxSize, empty ones kept");
            assertEquals(List.of(false, false, false, false, true, false), cut, "the cut one, and only it, says so");
            for (int i = 0; i < got.size(); i++) {
                assertEquals((i % 2 == 0 ? a : b).getLocalAddress(), from.get(i));
            }
            a.send(ByteBuffer.wrap(new byte[100]), rx.getLocalAddress());
            a.send(ByteBuffer.wrap(new byte[101]), rx.getLocalAddress());
            Thread.sleep(50);
            assertEquals(2, batch.receive(rx));
            assertEquals(List.of(false, true), List.of(batch.truncated(0), batch.truncated(1)), "exactly maxSize is whole, one more is cut");
            a.send(ByteBuffer.wrap(new byte[] {1}), rx.getLocalAddress());
            a.send(ByteBuffer.wrap(new byte[] {2}), rx.getLocalAddress());
            Thread.sleep(50);
            assertEquals(2, batch.receive(rx));
            assertEquals(batch.sender(0), batch.sender(1));
            if (name.equals("native")) {
                assertSame(batch.sender(0), batch.sender(1), "one sender, one address object");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void anUnreachablePortIsReportedAndReadingGoesOn(String name, BiFunction<Integer, Integer, DatagramBatch> make) throws Exception {
        DatagramBatch batch = make.apply(4, 100);
        try (DatagramChannel ch = connectedToAClosedPort()) {
            assertReportedUnreachable(() -> {
                ch.write(ByteBuffer.wrap(new byte[] {1}));
                Thread.sleep(20);
                assertEquals(0, batch.receive(ch), "nothing but the ICMP answer can arrive");
            });
            assertEquals(0, batch.receive(ch), "reading goes on after the error");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void aClosedChannelIsAnError(String name, BiFunction<Integer, Integer, DatagramBatch> make) throws IOException {
        DatagramBatch batch = make.apply(2, 10);
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.configureBlocking(false);
        ch.close();
        assertThrows(IOException.class, () -> batch.receive(ch));
    }

    /**
     * Repeats {@code attempt} until it throws {@link PortUnreachableException}, at most 50 times: the
     * ICMP answer to one datagram surfaces on a later call, and the kernel's global ICMP budget
     * (1 000/s, shared by every test on the machine, loopback included) may swallow one answer.
     */
    static void assertReportedUnreachable(Executable attempt) {
        assertThrows(PortUnreachableException.class, () -> {
            for (int i = 0; i < 50; i++) {
                attempt.execute();
            }
        });
    }

    /** A non-blocking channel connected to a loopback port nobody listens on any more: ICMP unreachable answers it. */
    static DatagramChannel connectedToAClosedPort() throws IOException {
        InetSocketAddress closed;
        try (DatagramChannel gone = DatagramChannel.open(StandardProtocolFamily.INET)) {
            gone.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = (InetSocketAddress) gone.getLocalAddress();
        }
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.connect(closed);
        ch.configureBlocking(false);
        return ch;
    }
}
