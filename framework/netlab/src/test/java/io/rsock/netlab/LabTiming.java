package io.rsock.netlab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How long building and closing a lab takes: {@code n} labs (default 10) in a row, each built with
 * {@code open}, then the median and the extremes. Not a test (no timing asserts): run it by hand,
 * as root, on a quiet machine,
 *
 * <pre>
 * java -cp framework/netlab/target/classes:framework/netlab/target/test-classes:$HOME/.m2/repository/net/java/dev/jna/jna/5.14.0/jna-5.14.0.jar io.rsock.netlab.LabTiming 10
 * </pre>
 */
public final class LabTiming {
    private LabTiming() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path logs = Files.createTempDirectory("rsock-lab-timing-");
        // The first lab pays for class loading and the availability probe: not counted.
        TestNetwork.create(IspProfile.OPEN, logs).close();
        long[] create = new long[n];
        long[] close = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            TestNetwork net = TestNetwork.create(IspProfile.OPEN, logs);
            long t1 = System.nanoTime();
            net.close();
            long t2 = System.nanoTime();
            create[i] = (t1 - t0) / 1_000_000;
            close[i] = (t2 - t1) / 1_000_000;
        }
        System.out.println(n + " labs: create " + summary(create) + ", close " + summary(close));
    }

    private static String summary(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return "median " + sorted[sorted.length / 2] + " ms (min " + sorted[0] + ", max " + sorted[sorted.length - 1] + ")";
    }
}
