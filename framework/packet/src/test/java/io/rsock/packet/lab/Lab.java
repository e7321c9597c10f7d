package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.netlab.JavaCommand;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.packet.firewall.CommandRunner;
import io.rsock.packet.firewall.ProcessCommandRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Running {@link PacketLayerMain} in the test network's namespaces: client {@code c0} 10.201.1.2,
 * server {@code s0} 10.201.2.2, the isp routing between them. Nothing here touches the host's own
 * network: every process and every rule lives in a namespace the test created.
 */
final class Lab {
    static final String CLIENT_DEVICE = "c0";
    static final String SERVER_DEVICE = "s0";
    static final String CLIENT = TestNetwork.CLIENT_ADDRESS;
    static final String SERVER = TestNetwork.SERVER_ADDRESS;
    private static final long READY_MILLIS = 30_000;

    private Lab() {
    }

    /** Skips with the lab's reason where namespaces cannot be built (with RSOCK_REQUIRE_NETNS=1 this throws instead). */
    static void assumeAvailable() {
        String reason = TestNetwork.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: the packet layer lab needs network namespaces: " + reason);
    }

    static List<String> main(String... args) {
        List<String> cmd = new ArrayList<>(JavaCommand.forMain(PacketLayerMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a receiver in {@code side} and returns once its filters are installed. */
    static LabProcess receiver(TestNetwork net, Side side, String device, int seconds, int expect, String... filters) {
        List<String> args = new ArrayList<>(List.of("receive", device, "" + seconds, "" + expect));
        args.addAll(List.of(filters));
        return started(net.start(side, "receive-" + device + "-" + System.nanoTime(), main(args.toArray(String[]::new))));
    }

    /** Waits (bounded) for the process to print READY; fails with its output if it dies or hangs. */
    static LabProcess started(LabProcess p) {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (!p.output().contains("READY")) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                p.stop(1000);
                throw new AssertionError(p + " did not get ready:\n" + p.output());
            }
            sleep(20);
        }
        return p;
    }

    /** Sends {@code count} rounds of {@code packets} from {@code side} and returns its RESULT. */
    static LabOutput send(TestNetwork net, Side side, String device, String injector, int count, String... packets) {
        List<String> args = new ArrayList<>(List.of("send", device, injector, "" + count));
        args.addAll(List.of(packets));
        return LabOutput.parse(net.run(side, main(args.toArray(String[]::new)).toArray(String[]::new)));
    }

    /** Waits (bounded) for a receiver to finish and returns its RESULT. */
    static LabOutput result(LabProcess p) {
        if (p.waitFor(30_000) != 0) {
            p.stop(1000);
            throw new AssertionError(p + " did not finish cleanly:\n" + p.output());
        }
        return LabOutput.parse(p.output());
    }

    /** Runs firewall commands inside {@code side}'s namespace, so this JVM can manage rules there. */
    static CommandRunner runnerIn(TestNetwork net, Side side) {
        ProcessCommandRunner real = new ProcessCommandRunner();
        return (command, stdin) -> real.run(net.inNamespace(side, command), stdin);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

}
