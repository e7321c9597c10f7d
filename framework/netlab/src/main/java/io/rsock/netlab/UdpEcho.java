package io.rsock.netlab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP echo server: sends every datagram back to where it came from. Stops by itself after
 * {@code --seconds} (default 600) so a forgotten one never outlives a test run for long.
 *
 * <pre>java -cp rsock-netlab.jar io.rsock.netlab.UdpEcho --port 9999 [--bind 0.0.0.0] [--seconds 600]</pre>
 *
 * Without {@code --bind} it listens on every address of both families.
 */
public final class UdpEcho {
    private UdpEcho() {
    }

    /** What an echo prints once bound; {@link LabProcess#awaitOutput} waits for it. */
    static final String READY = "echo listening on";

    /** The command line that runs an echo on {@code port} for at most {@code seconds}, with this JVM's class path. */
    public static List<String> command(int port, int seconds) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(UdpEcho.class.getName()));
        cmd.addAll(List.of("--port", "" + port, "--seconds", "" + seconds));
        return cmd;
    }

    /** Starts an echo in {@code side}'s namespace of {@code net} and returns once it is bound. */
    public static LabProcess start(TestNetwork net, Side side, String name, int port, int seconds) {
        return net.start(side, name, command(port, seconds)).awaitOutput(READY, 60_000);
    }

    public static void main(String[] args) throws IOException {
        Args a = new Args(args);
        int port = a.intValue("--port", 9999);
        String bind = a.value("--bind", null);
        long deadline = System.nanoTime() + a.intValue("--seconds", 600) * 1_000_000_000L;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port));
            System.out.println(READY + " " + ch.getLocalAddress());
            System.out.flush();
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            ch.configureBlocking(true);
            Thread watchdog = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.exit(0);
            }, "echo-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
            while (true) {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                buf.flip();
                ch.send(buf, from);
            }
        }
    }
}
