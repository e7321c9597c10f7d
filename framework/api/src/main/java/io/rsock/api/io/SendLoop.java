package io.rsock.api.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** {@link DatagramSender} by one {@code write} or {@code send} per datagram, stopping at the first that does not fit. */
enum SendLoop implements DatagramSender {
    INSTANCE;

    @Override
    public int send(DatagramChannel channel, SocketAddress to, ByteBuffer[] datagrams, int from, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ByteBuffer d = datagrams[from + i];
            int position = d.position();
            int length = d.remaining();
            try {
                int sent = to == null ? channel.write(d) : channel.send(d, to);
                if (sent == 0 && length > 0) {
                    return i; // the socket buffer is full: so it is for the rest too
                }
            } finally {
                d.position(position);
            }
        }
        return count;
    }
}
