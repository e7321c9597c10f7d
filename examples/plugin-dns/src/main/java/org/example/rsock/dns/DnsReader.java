package org.example.rsock.dns;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * One thread reading one non-blocking UDP socket into one reused buffer: a listening port's, or a
 * client conn's. The socket stays non-blocking so that {@code send} from other threads never waits
 * (a full send buffer drops the frame, as the API asks). Ends when the socket is closed.
 */
final class DnsReader implements Runnable {
    /** What the reader's owner does with each datagram, on the reader's thread. */
    interface Sink {
        /** One datagram, from position to limit of {@code datagram}, valid during the call only. */
        void datagram(ByteBuffer datagram, SocketAddress from);

        /** The socket failed (for a client: ICMP port unreachable, ...); the reader ends after this. */
        void failed(IOException e);
    }

    private final DatagramChannel channel;
    private final Sink sink;
    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);

    DnsReader(DatagramChannel channel, Sink sink, String name) throws IOException {
        this.channel = channel;
        this.sink = sink;
        this.selector = Selector.open();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true); // the host decides when the JVM ends
    }

    void start() {
        thread.start();
    }

    /** Closes the socket and waits (bounded) for the thread to end; from the reader's own thread it does not wait. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            while (channel.isOpen()) {
                selector.select();
                selector.selectedKeys().clear();
                for (int i = 0; i < 64 && channel.isOpen(); i++) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    if (from == null) {
                        break;
                    }
                    buffer.flip();
                    sink.datagram(buffer, from);
                }
            }
        } catch (ClosedChannelException e) {
            // closed: the normal end
        } catch (IOException e) {
            if (channel.isOpen()) {
                sink.failed(e);
            }
        } finally {
            try {
                selector.close();
            } catch (IOException e) {
                // ending anyway
            }
        }
    }
}
