package io.rsock.api.raw;

import io.rsock.api.Counter;
import io.rsock.api.CounterKind;
import io.rsock.api.TransportContext;
import io.rsock.api.packet.PacketReceiver;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net of a raw-packet transport's receive path: each receiver it registers, wrapped, gives
 * the packet layer its buffer back as it got it (position and limit), and an exception (a bug, never
 * the packet's fault: hostile input is counted as a drop) is counted and logged once for the whole
 * transport instead of reaching the capture thread. One per transport; wrap at registration, not
 * per packet.
 */
public final class CaptureGuard {
    private static final Logger log = LoggerFactory.getLogger(CaptureGuard.class);

    private final String counterName;
    private final Counter errors;
    private volatile boolean logged;

    /** Declares {@code counterName} (e.g. {@code "tcp.receiver_errors"}) in {@code ctx}, where the failures are counted. */
    public CaptureGuard(TransportContext ctx, String counterName) {
        this.counterName = counterName;
        this.errors = ctx.counter(counterName, CounterKind.ERROR, "captured packets whose handling threw (a bug; the first is logged)");
    }

    /** {@code receiver}, guarded. */
    public PacketReceiver guard(PacketReceiver receiver) {
        return packet -> received(receiver, packet);
    }

    private void received(PacketReceiver receiver, ByteBuffer packet) {
        int position = packet.position();
        int limit = packet.limit();
        try {
            receiver.received(packet);
        } catch (RuntimeException e) {
            errors.increment();
            if (!logged) {
                logged = true;
                log.warn("the receive path failed (logged once; counted in {})", counterName, e);
            }
        } finally {
            packet.limit(limit).position(position);
        }
    }
}
