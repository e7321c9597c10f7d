package io.rsock.netlab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP echo server in this JVM: one daemon thread sends every datagram back to where it came
 * from. Its socket is bound in a lab namespace ({@link TestNetwork#inside}) or in this JVM's own;
 * it stops when closed, when its lab closes, or after {@code seconds}, so a forgotten one never
 * outlives a test run for long. It listens on every address of both families.
 */
public final class UdpEcho implements AutoCloseable {
    private static final long IDLE_CHECK_MILLIS = 500;

    private final DatagramChannel channel;
    private final Selector selector;
    private final long deadline;
    private final Thread thread;
    private volatile boolean stopping;

    private UdpEcho(DatagramChannel channel, String name, int seconds) throws IOException {
        this.channel = channel;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this::serve, "udp-echo-" + name);
        thread.setDaemon(true);
    }

    /**
     * Starts an echo on {@code port} in {@code side}'s namespace of {@code net}, bound when this
     * returns; it stops when {@code net} closes or after {@code seconds}.
     */
    public static UdpEcho start(TestNetwork net, Side side, String name, int port, int seconds) {
        UdpEcho echo = start(name, seconds, net.inside(side, () -> bind(port)));
        net.closeWithLab(echo);
        return echo;
    }

    /** Starts an echo on {@code port} in this JVM's own namespace, bound when this returns; stops after {@code seconds}. */
    public static UdpEcho start(int port, int seconds) {
        try {
            return start("port-" + port, seconds, bind(port));
        } catch (IOException e) {
            throw new LabException("cannot bind an echo to UDP port " + port + ": " + e.getMessage(), e);
        }
    }

    private static UdpEcho start(String name, int seconds, DatagramChannel bound) {
        try {
            UdpEcho echo = new UdpEcho(bound, name, seconds);
            echo.thread.start();
            return echo;
        } catch (IOException e) {
            Closing.quietly(bound);
            throw new LabException("cannot start echo " + name + ": " + e.getMessage(), e);
        }
    }

    private static DatagramChannel bind(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(new InetSocketAddress(port));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return channel.socket().getLocalPort();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    private void serve() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                selector.select(Math.max(1, Math.min(IDLE_CHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = channel.receive(buf)) != null) {
                    buf.flip();
                    send(buf, from);
                    buf.clear();
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                System.err.println(thread.getName() + " stopped: " + e);
            }
        } finally {
            Closing.quietly(selector);
            Closing.quietly(channel);
        }
    }

    /**
     * Sends like a blocking socket would: a full send buffer is waited out (briefly) instead of
     * losing the datagram at the echo, which would be counted against the path.
     */
    private void send(ByteBuffer buf, SocketAddress to) throws IOException {
        for (int tries = 0; channel.send(buf, to) == 0 && tries < 100 && !stopping; tries++) {
            LockSupport.parkNanos(20_000);
        }
    }

    /** Stops it and closes its socket; returns once its thread has ended (or after 5 s). */
    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Closing.quietly(channel);
    }

    @Override
    public String toString() {
        return thread.getName() + " on UDP " + port();
    }
}
