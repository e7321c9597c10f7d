package io.rsock.packet.sys;

import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.DatagramSender;
import io.rsock.packet.LinuxOnly;
import java.nio.channels.DatagramChannel;
import java.util.function.LongSupplier;

/** The Linux path's datagram batches and sender; each falls back to the portable one where its call is missing. */
@LinuxOnly
public final class LinuxDatagrams {
    /** One for the process: it holds only per-thread scratch, and whether the kernel takes UDP_SEGMENT. */
    private static final DatagramSender SENDER = GsoDatagramSender.create();

    private LinuxDatagrams() {
    }

    public static DatagramBatch batch(int capacity, int maxSize) {
        return MmsgDatagramBatch.create(capacity, maxSize);
    }

    public static DatagramSender sender() {
        return SENDER;
    }

    /** The kernel's count of datagrams dropped at {@code channel}'s full receive buffer; 0 where it cannot tell. */
    public static LongSupplier receiveDrops(DatagramChannel channel) {
        SocketDrops d = SocketDrops.of(channel);
        return d == null ? () -> 0 : () -> Math.max(0, d.drops());
    }
}
