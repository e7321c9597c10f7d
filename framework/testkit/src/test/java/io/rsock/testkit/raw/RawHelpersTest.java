package io.rsock.testkit.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CounterKind;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import io.rsock.api.raw.CaptureGuard;
import io.rsock.api.raw.PacketOut;
import io.rsock.testkit.TestTransportContext;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the fake-TCP and ICMP transports share over the raw packet layer. */
class RawHelpersTest {
    @Test
    void aGuardedReceiverGivesTheBufferBackAsItWasAndCountsWhatItThrows() {
        try (TestTransportContext ctx = TestTransportContext.builder().build()) {
            CaptureGuard guard = new CaptureGuard(ctx, "x.receiver_errors");
            assertEquals(CounterKind.ERROR, ctx.declared("x.receiver_errors").kind());
            PacketReceiver receiver = guard.guard(packet -> {
                packet.position(7).limit(9);
                if (packet.get(7) == 1) {
                    throw new IllegalStateException("a bug on the receive path");
                }
            });
            ByteBuffer packet = ByteBuffer.allocate(32).position(3).limit(20);
            receiver.received(packet);
            assertEquals(3, packet.position());
            assertEquals(20, packet.limit());
            packet.put(7, (byte) 1);
            receiver.received(packet);
            receiver.received(packet);
            assertEquals(3, packet.position(), "given back as it was, thrown or not");
            assertEquals(20, packet.limit());
            assertEquals(2, ctx.counterValue("x.receiver_errors"));
        }
    }

    @Test
    void aPacketGoesFromTheBuffersStartAndARefusedOneIsCounted() {
        List<byte[]> sent = new ArrayList<>();
        boolean[] refuse = {false};
        PacketIO io = new PacketIO() {
            @Override
            public Inet4Address localAddress() {
                return null;
            }

            @Override
            public int mtu() {
                return 1500;
            }

            @Override
            public Registration register(PacketFilter filter, PacketReceiver receiver) {
                return () -> { };
            }

            @Override
            public boolean send(ByteBuffer packet) {
                byte[] b = new byte[packet.remaining()];
                packet.duplicate().get(b);
                sent.add(b);
                return !refuse[0];
            }
        };
        try (TestTransportContext ctx = TestTransportContext.builder().build()) {
            PacketOut out = new PacketOut(io, 64, ctx.counter("x.send_dropped"));
            out.buffer().put(0, (byte) 0x45).put(1, (byte) 7);
            assertTrue(out.send(2));
            assertEquals(64, out.buffer().limit(), "cleared for the next packet's absolute writes");
            refuse[0] = true;
            assertFalse(out.send(1));
            assertEquals(List.of(2, 1), sent.stream().map(b -> b.length).toList());
            assertEquals(0x45, sent.get(0)[0]);
            assertEquals(1, ctx.counterValue("x.send_dropped"));
        }
    }
}
