package io.rsock.testkit;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ConnHandler} that records what a transport tells it, for tests to wait on with a bound.
 * Frames are copied (the transport reuses its buffer after the call). Optionally it echoes every
 * frame back on the conn it came on, which is how a test checks both directions with one sender.
 *
 * <pre>{@code
 * RecordingHandler server = RecordingHandler.echoing();
 * RecordingHandler client = new RecordingHandler();
 * transport.listen(port, server);
 * Conn c = clientTransport.dial(addr, client);
 * client.awaitOpened(Duration.ofSeconds(5));
 * c.send(ByteBuffer.wrap(payload));
 * assertArrayEquals(payload, client.awaitFrame(Duration.ofSeconds(5)).bytes());
 * }</pre>
 *
 * <p>Thread-safe. The await methods throw {@link AssertionError} on timeout, naming what was awaited.
 */
public class RecordingHandler implements ConnHandler {
    /** One frame as received, copied. */
    public record Frame(Conn conn, byte[] bytes) {
    }

    /** One {@code closed} call. */
    public record Closure(Conn conn, CloseReason reason) {
    }

    private final boolean echo;
    private final BlockingQueue<Conn> opened = new LinkedBlockingQueue<>();
    private final List<Conn> allOpened = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<Closure> closures = new LinkedBlockingQueue<>();
    private final List<Closure> allClosures = new CopyOnWriteArrayList<>();
    private final Map<Conn, AtomicInteger> closeCounts = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();

    /** A handler that only records. */
    public RecordingHandler() {
        this(false);
    }

    private RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    /** A handler that records and sends every frame back on the conn it arrived on. */
    public static RecordingHandler echoing() {
        return new RecordingHandler(true);
    }

    @Override
    public void opened(Conn conn) {
        allOpened.add(conn);
        opened.add(conn);
    }

    @Override
    public void received(Conn conn, ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        received.incrementAndGet();
        frames.add(new Frame(conn, copy));
        if (echo) {
            conn.send(frame);
        }
    }

    @Override
    public void closed(Conn conn, CloseReason why) {
        closeCounts.computeIfAbsent(conn, c -> new AtomicInteger()).incrementAndGet();
        Closure c = new Closure(conn, why);
        allClosures.add(c);
        closures.add(c);
    }

    /** Waits for the next {@code opened} call and returns its conn. */
    public Conn awaitOpened(Duration timeout) {
        return poll(opened, timeout, "opened");
    }

    /** Waits for the next frame not yet taken by an await. */
    public Frame awaitFrame(Duration timeout) {
        return poll(frames, timeout, "a frame");
    }

    /** Waits for the next {@code closed} call not yet taken by an await. */
    public Closure awaitClosed(Duration timeout) {
        return poll(closures, timeout, "closed");
    }

    /** Takes every frame received so far and not yet taken, without waiting. */
    public List<Frame> drainFrames() {
        List<Frame> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    /** Every conn {@code opened} was called for, in order, taken by an await or not. */
    public List<Conn> openedConns() {
        return List.copyOf(allOpened);
    }

    /** How many frames arrived in all, taken or not. */
    public int receivedCount() {
        return received.get();
    }

    /** How many times {@code closed} was called for {@code conn}. */
    public int closeCount(Conn conn) {
        AtomicInteger n = closeCounts.get(conn);
        return n == null ? 0 : n.get();
    }

    /** Every {@code closed} call so far, in order, taken by an await or not. */
    public List<Closure> closures() {
        return List.copyOf(allClosures);
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T t = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
