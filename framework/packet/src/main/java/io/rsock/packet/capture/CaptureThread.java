package io.rsock.packet.capture;

import io.rsock.api.TransportException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads a device's capture and hands packets to the {@link Demultiplexer}.
 * It owns the pcap handle: filter changes are requested by generation and applied by this thread
 * between reads, because libpcap does not promise that {@code pcap_setfilter} is safe while
 * another thread reads. Nothing
 * a packet contains and nothing a receiver throws ends the loop; both are counted.
 */
public final class CaptureThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptureThread.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long ERROR_BACKOFF_MILLIS = 100;

    private final LiveCapture capture;
    private final Demultiplexer demux;
    private final LinkLearner learner;
    private final int datalink;
    private final ByteBuffer frame;
    private final Thread thread;
    private final long filterTimeoutMillis;
    private final Supplier<String> filterSource;
    private final Object filterMonitor = new Object();
    private volatile long wantedGeneration;
    private volatile long appliedGeneration;
    private volatile long failedGeneration = -1;
    private volatile Exception filterFailure;
    private volatile String currentFilter;
    private volatile boolean running = true;

    private final LongAdder captured = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    /** The kernel's drops (ring full), read by the capture thread about once a second. */
    private volatile long kernelDrops;
    private long nextStatsNanos;
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder receiverErrors = new LongAdder();
    private final LongAdder captureErrors = new LongAdder();
    private long nextReceiverErrorLog;
    private long nextCaptureErrorLog;
    private long nextTruncatedLog;

    /**
     * Starts reading {@code capture} at once; {@code capture} belongs to this thread from now on.
     *
     * @param initialFilter the filter installed on {@code capture} already
     * @param filterSource builds the filter for the current registrations when they change
     * @param learner shown each IP frame before the demultiplexer ({@link LinkLearner#NONE} for none)
     */
    public CaptureThread(LiveCapture capture, String initialFilter, Supplier<String> filterSource, Demultiplexer demux,
                         LinkLearner learner, int frameCapacity, int readTimeoutMillis) {
        this.capture = capture;
        this.learner = learner;
        this.currentFilter = initialFilter;
        this.filterSource = filterSource;
        this.demux = demux;
        this.datalink = capture.datalink();
        this.frame = ByteBuffer.allocateDirect(frameCapacity);
        this.filterTimeoutMillis = Math.max(2_000, 4L * readTimeoutMillis);
        this.thread = new Thread(this::run, "rsock-capture-" + capture.device());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks for the kernel filter to be rebuilt from the current registrations and, unless called on
     * the capture thread itself (a receiver registering from inside a callback), waits until it is
     * installed. No lock is held while waiting, so receivers may register and unregister freely.
     *
     * @throws TransportException when the filter could not be installed (the previous one stays)
     */
    public void updateFilter() throws TransportException {
        long generation;
        synchronized (filterMonitor) {
            generation = ++wantedGeneration;
        }
        if (Thread.currentThread() == thread) {
            return; // applied before the next read, right after the current callback returns
        }
        capture.wakeUp();
        awaitFilter(generation);
    }

    /** Like {@link #updateFilter()} but returns at once: for removals, where a lag only costs unmatched counts. */
    public void requestFilterUpdate() {
        synchronized (filterMonitor) {
            ++wantedGeneration;
        }
        if (Thread.currentThread() != thread) {
            capture.wakeUp();
        }
    }

    private void awaitFilter(long generation) throws TransportException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(filterTimeoutMillis);
        synchronized (filterMonitor) {
            while (appliedGeneration < generation) {
                if (failedGeneration >= generation) {
                    throw new TransportException("cannot install the capture filter on " + capture.device() + ": " + filterFailure.getMessage(),
                            filterFailure);
                }
                long left = deadline - System.nanoTime();
                if (!running || left <= 0) {
                    throw new TransportException(running
                            ? "capture thread on " + capture.device() + " did not apply the filter within " + filterTimeoutMillis + " ms"
                            : "capture on " + capture.device() + " is closed");
                }
                try {
                    filterMonitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportException("interrupted while changing the capture filter on " + capture.device());
                }
            }
        }
    }

    /** On the capture thread: installs the filter for the newest wanted generation, if it changed. */
    private void applyWantedFilter() {
        long generation = wantedGeneration;
        if (generation == appliedGeneration || generation == failedGeneration) {
            return;
        }
        String expression = filterSource.get();
        try {
            capture.setFilter(expression);
            synchronized (filterMonitor) {
                appliedGeneration = generation;
                currentFilter = expression;
                filterMonitor.notifyAll();
            }
        } catch (TransportException | RuntimeException e) {
            log.warn("capture filter on {} not changed: {}", capture.device(), e.getMessage());
            synchronized (filterMonitor) {
                failedGeneration = generation;
                filterFailure = e;
                filterMonitor.notifyAll();
            }
        }
    }

    /** The BPF expression installed now. */
    public String currentFilter() {
        return currentFilter;
    }

    private void run() {
        try {
            while (running) {
                applyWantedFilter();
                int n = capture.next(frame);
                long now = System.nanoTime();
                if (now - nextStatsNanos >= 0) { // on this thread: a libpcap handle is not thread-safe
                    nextStatsNanos = now + 1_000_000_000L;
                    kernelDrops = capture.kernelDrops();
                }
                if (n > 0) {
                    captured.increment();
                    handle(n, now);
                } else if (n == LiveCapture.TRUNCATED) {
                    captured.increment();
                    truncated();
                } else if (n == LiveCapture.ERROR && running) {
                    captureFailed();
                }
            }
        } finally {
            running = false;
            capture.close();
            synchronized (filterMonitor) {
                filterMonitor.notifyAll(); // waiters see the capture closed
            }
        }
    }

    /** A packet longer than the capture keeps: counted malformed, and said once in a while. */
    private void truncated() {
        malformed.increment();
        long now = System.nanoTime();
        if (now - nextTruncatedLog >= 0) {
            nextTruncatedLog = now + LOG_INTERVAL_NANOS;
            log.warn("a packet on {} was longer than the capture keeps and is dropped; was GRO or LRO turned on after rsock "
                    + "started? restart rsock to size the capture for it", capture.device());
        }
    }

    private void handle(int length, long now) {
        frame.limit(length);
        int ipOffset = LinkLayer.ipOffset(datalink, frame);
        int outcome;
        try {
            if (ipOffset >= 0) {
                learner.heard(frame, ipOffset, now);
            }
            outcome = demux.dispatch(frame, ipOffset);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) { // a receiver's bug must not stop the capture for everyone
            receiverErrors.increment();
            if (now - nextReceiverErrorLog >= 0) {
                nextReceiverErrorLog = now + LOG_INTERVAL_NANOS;
                log.warn("a packet receiver on {} threw (counted, packet dropped; {} so far)", capture.device(), receiverErrors.sum(), t);
            }
            return;
        }
        switch (outcome) {
            case Demultiplexer.DELIVERED -> delivered.increment();
            case Demultiplexer.UNMATCHED -> unmatched.increment();
            default -> malformed.increment();
        }
    }

    private void captureFailed() {
        captureErrors.increment();
        long now = System.nanoTime();
        if (now - nextCaptureErrorLog >= 0) {
            nextCaptureErrorLog = now + LOG_INTERVAL_NANOS;
            log.warn("capture on {} failed: {} ({} errors so far; retrying)", capture.device(), capture.lastError(), captureErrors.sum());
        }
        try {
            Thread.sleep(ERROR_BACKOFF_MILLIS); // a device that went down must not turn this into a busy loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public long captured() {
        return captured.sum();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long unmatched() {
        return unmatched.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long receiverErrors() {
        return receiverErrors.sum();
    }

    public long captureErrors() {
        return captureErrors.sum();
    }

    /** Packets the kernel dropped because the capture ring was full (as of the last second), -1 if unknown. */
    public long kernelDrops() {
        return kernelDrops;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread and waits (bounded) for it to release the handle. Idempotent. */
    @Override
    public void close() {
        running = false;
        capture.wakeUp();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(filterTimeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
