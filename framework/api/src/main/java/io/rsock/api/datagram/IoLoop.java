package io.rsock.api.datagram;

import io.rsock.api.io.DatagramBatch;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one I/O thread of a {@link DatagramTransport}: a selector over every channel of the transport
 * that reads the waiting datagrams of a channel in one batch (one system call where the host can)
 * and makes every handler call. Other threads hand it work through {@link #execute}; only this
 * thread touches the conn tables.
 */
final class IoLoop implements Runnable {
    /** Datagrams read from one channel per wake-up before the next channel gets its turn. */
    static final int BATCH = 64;
    /** Large enough for any UDP datagram over IPv4. */
    static final int BUFFER_SIZE = 65536;
    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);

    /** A channel's owner: told when its channel has datagrams to read, on the loop thread. */
    interface Readable {
        /** Reads what is waiting with {@code batch}, once: the selector calls again while more is. */
        void onReadable(DatagramBatch batch);
    }

    private final Selector selector;
    private final Thread thread;
    private final DatagramBatch batch;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> running = new ArrayDeque<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final Runnable onExit;
    private final String type;
    private boolean stopped; // guarded by tasks
    private volatile boolean stopRequested;

    /**
     * @param onExit runs on the loop thread as it ends, after the tasks queued so far: closes every
     *     conn and channel
     */
    IoLoop(String type, DatagramBatch batch, Runnable onExit) throws IOException {
        this.type = type;
        this.batch = batch;
        this.selector = Selector.open();
        this.onExit = onExit;
        this.thread = new Thread(this, "rsock-" + type);
        // The host decides when the process ends (and closes the transport in its shutdown hook):
        // an I/O thread must not keep the JVM alive on its own.
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread soon.
     *
     * @return {@code false} when the loop has ended and will run nothing more
     */
    boolean execute(Runnable task) {
        synchronized (tasks) {
            if (stopped) {
                return false;
            }
            tasks.add(task);
        }
        selector.wakeup();
        return true;
    }

    /** Asks the loop to end and waits (bounded) until it has; from the loop thread, it ends after the current task. */
    void stop() {
        stopRequested = true;
        selector.wakeup();
        if (inLoop()) {
            return;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{} transport: the I/O thread did not end within 10 s", type);
        }
    }

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                selector.select(onSelected);
                runTasks();
            }
        } catch (IOException | ClosedSelectorException e) {
            log.error("{} transport: the selector failed, every conn closes", type, e);
        } catch (RuntimeException | Error e) {
            log.error("{} transport: the I/O thread failed, every conn closes", type, e);
        } finally {
            finish();
        }
    }

    private void onSelected(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        ((Readable) key.attachment()).onReadable(batch);
    }

    private void runTasks() {
        synchronized (tasks) {
            running.addAll(tasks);
            tasks.clear();
        }
        Runnable r;
        while ((r = running.poll()) != null) {
            runGuarded(r);
        }
    }

    private void finish() {
        runTasks();
        runGuarded(onExit);
        synchronized (tasks) {
            stopped = true;
        }
        runTasks(); // what was queued between the two: nothing can be queued any more
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("{} transport: closing the selector", type, e);
        }
    }

    private void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("{} transport: a task on the I/O thread failed", type, e);
        }
    }
}
