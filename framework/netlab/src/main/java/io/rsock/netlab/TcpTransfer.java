package io.rsock.netlab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A bounded TCP transfer whose integrity can be checked end to end: a source sends {@code --bytes}
 * pseudo-random bytes, a sink reads to the end; each prints {@code {"bytes":N,"sha256":"..."}}.
 * It is the app on top of kcptun in the tests (kcptun turns the TCP stream into the UDP that rsock
 * carries). Both stop by themselves after {@code --seconds}.
 *
 * <pre>TcpTransfer --mode sink --port 12948 [--seconds 300]
 * TcpTransfer --mode source --target 127.0.0.1:12000 --bytes 20000000 [--seconds 300]</pre>
 */
public final class TcpTransfer {
    private TcpTransfer() {
    }

    /** The last {@code {...}} line a source or sink printed (its result), or "" if none. */
    public static String result(String output) {
        String last = "";
        for (String l : output.split("\n")) {
            if (l.startsWith("{")) {
                last = l;
            }
        }
        return last;
    }

    /** The command line of a sink on {@code port}, with this JVM's class path. */
    public static List<String> sinkCommand(int port, int seconds) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(TcpTransfer.class.getName()));
        cmd.addAll(List.of("--mode", "sink", "--port", "" + port, "--seconds", "" + seconds));
        return cmd;
    }

    /** The command line of a source sending {@code bytes} to {@code target}, with this JVM's class path. */
    public static List<String> sourceCommand(String target, long bytes, int seconds) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(TcpTransfer.class.getName()));
        cmd.addAll(List.of("--mode", "source", "--target", target, "--bytes", "" + bytes, "--seconds", "" + seconds));
        return cmd;
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int seconds = a.intValue("--seconds", 300);
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
                System.out.println("{\"error\":\"timed out after " + seconds + " s\"}");
                System.exit(3);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "transfer-deadline");
        deadline.setDaemon(true);
        deadline.start();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        long total = 0;
        if (a.value("--mode", "").equals("sink")) {
            try (ServerSocket server = new ServerSocket(a.intValue("--port", 12948)); Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; total += n) {
                    sha.update(buf, 0, n);
                }
            }
        } else {
            String[] target = a.value("--target", "127.0.0.1:12000").split(":");
            long bytes = Long.parseLong(a.value("--bytes", "20000000"));
            SplittableRandom random = new SplittableRandom(bytes);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(target[0], Integer.parseInt(target[1])), 10_000);
                OutputStream out = s.getOutputStream();
                while (total < bytes) {
                    int n = (int) Math.min(buf.length, bytes - total);
                    for (int i = 0; i < n; i++) {
                        buf[i] = (byte) random.nextInt();
                    }
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    total += n;
                }
                out.flush();
                s.shutdownOutput();
                // The sink closes once it has read everything: wait for that, so "sent" means "arrived".
                s.getInputStream().read();
            }
        }
        System.out.println("{\"bytes\":" + total + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"}");
        System.exit(0);
    }
}
