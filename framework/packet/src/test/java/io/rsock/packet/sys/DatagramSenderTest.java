package io.rsock.packet.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segmentation offload and the portable loop deliver the same datagrams, whole and in order, over
 * loopback only: runs of one size, a shorter one ending a run, a longer one starting the next,
 * more than one send's worth, connected and addressed.
 */
class DatagramSenderTest {

    static Stream<Arguments> senders() {
        Supplier<DatagramSender> gso = GsoDatagramSender::create;
        Supplier<DatagramSender> portable = DatagramSender::portable;
        return Stream.of(Arguments.of("gso", gso), Arguments.of("portable", portable));
    }

    private static ByteBuffer datagram(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size + 3);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (seq * 7 + i));
        }
        return b.position(3).limit(3 + size); // from the middle: only position..limit may go
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void everyDatagramArrivesWholeAndInOrder(String name, Supplier<DatagramSender> make) throws Exception {
        if (name.equals("gso")) {
            assertTrue(ChannelDescriptors.available(), "the tests run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as bin/rsock");
        }
        DatagramSender sender = make.get();
        // (No empty datagram: NIO's write on a connected channel sends nothing for one, and frames are never empty.)
        int[] sizes = {1200, 1200, 1200, 700, 1300, 1300, 50, 50, 50, 50, 9000, 9000, 10};
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < 10; r++) { // 130 datagrams: more than one send's segments
            for (int s : sizes) {
                all.add(s);
            }
        }
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel connected = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel unconnected = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            rx.configureBlocking(false);
            connected.connect(rx.getLocalAddress());
            connected.configureBlocking(false);
            unconnected.configureBlocking(false);
            for (DatagramChannel tx : List.of(connected, unconnected)) {
                ByteBuffer[] batch = new ByteBuffer[all.size()];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = datagram(i, all.get(i));
                }
                int sent = sender.send(tx, tx == connected ? null : rx.getLocalAddress(), batch, batch.length);
                assertEquals(batch.length, sent);
                for (ByteBuffer b : batch) {
                    assertEquals(3, b.position(), "positions are left as they were");
                }
                Thread.sleep(100);
                DatagramBatch in = DatagramBatch.portable(64, 65536);
                List<Integer> got = new ArrayList<>();
                int n;
                while ((n = in.receive(rx)) > 0) {
                    for (int i = 0; i < n; i++) {
                        ByteBuffer d = in.datagram(i);
                        int seq = got.size();
                        assertEquals(datagram(seq, all.get(seq)), d, "datagram " + seq + " whole");
                        got.add(d.remaining());
                    }
                }
                assertEquals(all, got);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void anUnreachablePeerIsReported(String name, Supplier<DatagramSender> make) throws Exception {
        DatagramSender sender = make.get();
        try (DatagramChannel ch = DatagramBatchTest.connectedToAClosedPort()) {
            ByteBuffer[] two = {datagram(0, 100), datagram(1, 100)};
            DatagramBatchTest.assertReportedUnreachable(() -> {
                sender.send(ch, null, two, 2);
                Thread.sleep(10);
            });
        }
    }

    /**
     * A server's dual-stack socket (IPv6, IPv4 mapped in) sends segments to peers of both families
     * (Linux takes an AF_INET destination on such a socket) and the batch reads their addresses back
     * as each family's.
     */
    @org.junit.jupiter.api.Test
    void aDualStackSocketSendsSegmentsToPeersOfBothFamilies() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ChannelDescriptors.available(), "needs the batched calls");
        GsoDatagramSender sender = (GsoDatagramSender) GsoDatagramSender.create();
        try (DatagramChannel dual = DatagramChannel.open();
             DatagramChannel rx4 = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel rx6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            dual.bind(new InetSocketAddress(0));
            dual.configureBlocking(false);
            rx4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            rx6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            for (DatagramChannel rx : List.of(rx4, rx6)) {
                ByteBuffer[] batch = {datagram(0, 500), datagram(1, 500), datagram(2, 500)};
                assertEquals(3, sender.send(dual, rx.getLocalAddress(), batch, 3));
                assertTrue(sender.segmenting(), "the kernel took the segments for " + rx.getLocalAddress());
                rx.configureBlocking(true);
                for (int i = 0; i < 3; i++) {
                    ByteBuffer got = ByteBuffer.allocate(600);
                    rx.receive(got);
                    assertEquals(500, got.flip().remaining());
                }
                // The answer, read by the batch on the dual-stack socket: an IPv4 peer is an IPv4 address.
                rx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), dual.getLocalAddress() instanceof InetSocketAddress l
                        ? new InetSocketAddress(rx == rx4 ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName("::1"), l.getPort())
                        : null);
                DatagramBatch in = LinuxDatagrams.batch(8, 2048);
                int n = 0;
                for (int tries = 0; tries < 100 && n == 0; tries++) {
                    n = in.receive(dual);
                    Thread.sleep(10);
                }
                assertEquals(1, n);
                assertEquals(rx.getLocalAddress(), in.sender(0), "the sender as its own family");
            }
        }
    }
}
