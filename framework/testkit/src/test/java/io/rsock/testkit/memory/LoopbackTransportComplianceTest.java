package io.rsock.testkit.memory;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.tck.TransportComplianceTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCK's self-test: the in-memory {@link LoopbackTransport}, which the host's own tests run on,
 * must pass every check a real transport has to pass; if it did not, either the TCK or the host's
 * tests would be wrong.
 */
class LoopbackTransportComplianceTest extends TransportComplianceTest {
    // Built with the test instance, before the kit takes its thread snapshot: the network's delivery
    // thread is the test's, not the transport's.
    private final LoopbackTransport.Network network = new LoopbackTransport.Network();
    private final AtomicInteger ports = new AtomicInteger(10001);

    @Override
    protected ConnTransport newTransport(Role role) {
        if (role == Role.SERVER) {
            closeAfterTest(network);
        }
        return new LoopbackTransport(network);
    }

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(network.defaultAddress(), port);
    }

    @Override
    protected int listenPort() {
        return ports.getAndIncrement();
    }

    /** The host's tests use it in process: it is no plugin. */
    @Override
    protected boolean packagedAsPlugin() {
        return false;
    }

    /** Nothing below frames to corrupt here: hostile frames of every size from a second conn, and empty ones. */
    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo victim) throws Exception {
        RecordingHandler h = new RecordingHandler();
        Conn hostile = client.dial(server, h);
        h.awaitOpened(timeout());
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(hostile.maxFrameSize() + 1)];
            random.nextBytes(junk);
            hostile.send(ByteBuffer.wrap(junk));
        }
        hostile.send(ByteBuffer.allocate(0));
        hostile.close();
        network.assertNoHandlerFailures();
    }
}
