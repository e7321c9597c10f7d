package io.rsock.core.host;

import io.rsock.api.Conn;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A tap on the in-memory network that records every frame sent while {@link #recording}, as an
 * attacker on the path would capture it.
 */
final class FrameRecorder implements BiConsumer<Conn, ByteBuffer> {
    /** A frame that crossed the network while recording: which way, to or from which server port. */
    record Recorded(boolean fromClient, int port, byte[] bytes) {
    }

    final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    volatile boolean recording;
    private final Set<Integer> serverPorts;

    /** @param serverPorts the ports the server listens on: a conn whose remote end is one of them is the client's */
    FrameRecorder(Set<Integer> serverPorts) {
        this.serverPorts = Set.copyOf(serverPorts);
    }

    @Override
    public void accept(Conn from, ByteBuffer frame) {
        if (!recording) {
            return;
        }
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        int remotePort = from.info().remote().getPort();
        boolean fromClient = serverPorts.contains(remotePort);
        recorded.add(new Recorded(fromClient, fromClient ? remotePort : from.info().local().getPort(), bytes));
    }
}
