package io.rsock.netlab;

import java.util.ArrayList;
import java.util.List;

/**
 * Real kcptun (Debian's {@code kcptun-client}/{@code kcptun-server}, large windows, no crypto or
 * compression) carrying a bounded {@link TcpTransfer} from the client namespace to a sink in the
 * server namespace (both ends threads of this JVM, kcptun processes): the app the tests and the benchmark put on top of rsock, or run directly.
 * {@code kcptun-client} listens on TCP 127.0.0.1:12000 and sends its UDP to {@code remote};
 * {@code kcptun-server} listens on UDP {@code :kcptunPort} and relays to the sink on 12948.
 */
public final class KcptunTransfer {
    private static final int CLIENT_TCP_PORT = 12000;
    private static final int SINK_PORT = 12948;

    private KcptunTransfer() {
    }

    /** What the source sent and the sink received ({@code {"bytes":..,"sha256":..}} each), and how long it took. */
    public record Result(String sent, String received, double seconds) {
        /** The sink got exactly what the source sent. */
        public boolean intact() {
            return !sent.isEmpty() && sent.contains("sha256") && sent.equals(received);
        }

        public double mbps(long bytes) {
            return bytes * 8 / seconds / 1e6;
        }
    }

    /**
     * Runs the transfer of {@code bytes}, bounded by {@code seconds}, and stops every process it
     * started; {@code tag} tells their log files apart.
     */
    public static Result run(TestNetwork net, String remote, int kcptunPort, long bytes, int seconds, String tag)
            throws InterruptedException {
        List<String> kcp = List.of("--key", "rsock-lab", "--crypt", "none", "--nocomp", "--mode", "fast3", "--sndwnd", "2048",
                "--rcvwnd", "2048", "--mtu", "1350");
        List<String> server = new ArrayList<>(List.of("kcptun-server", "-l", ":" + kcptunPort, "-t", "127.0.0.1:" + SINK_PORT));
        server.addAll(kcp);
        LabProcess ks = net.start(Side.SERVER, "kcptun-server" + tag, server);
        List<String> client = new ArrayList<>(List.of("kcptun-client", "-r", remote, "-l", "127.0.0.1:" + CLIENT_TCP_PORT,
                "--conn", "1"));
        client.addAll(kcp);
        LabProcess kc = net.start(Side.CLIENT, "kcptun-client" + tag, client);
        try (TcpTransfer.Sink sink = TcpTransfer.sink(net, Side.SERVER, SINK_PORT, seconds)) {
            Thread.sleep(1500); // kcptun listening
            long start = System.nanoTime();
            String sent = TcpTransfer.send(net, Side.CLIENT, "127.0.0.1:" + CLIENT_TCP_PORT, bytes, seconds);
            double took = (System.nanoTime() - start) / 1e9;
            return new Result(sent, sink.result(5000), took);
        } finally {
            kc.stop(3000);
            ks.stop(3000);
        }
    }
}
