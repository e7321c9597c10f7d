package io.rsock.packet.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.rsock.api.io.DatagramBatch;
import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * {@link DatagramBatch} with one {@code recvmmsg(2)} per call, straight into reused native buffers.
 * {@link #create} falls back to the portable batch where {@link ChannelDescriptors} cannot see a
 * channel's descriptor. Callers read from the thread that selects on the channel, which keeps the
 * descriptor open.
 */
@LinuxOnly
public final class MmsgDatagramBatch implements DatagramBatch {
    /** Room for a sockaddr_in6. */
    private static final int SOCKADDR = 32;
    private static final int AF_INET6 = 10;

    private final int capacity;
    private final Memory headers;
    private final Memory iovecs;
    private final Memory names;
    private final ByteBuffer[] datagrams;
    /** How many headers the last receive filled: only their address lengths need resetting. */
    private int filled;
    /** The sender of the last datagram whose address bytes differed from the one before. */
    private InetSocketAddress lastSender;
    private final byte[] lastName = new byte[SOCKADDR];
    private final byte[] name = new byte[SOCKADDR];

    private MmsgDatagramBatch(int capacity, int maxSize) {
        this.capacity = capacity;
        this.headers = new Memory((long) capacity * MsgHdr.MMSG_SIZE);
        this.iovecs = new Memory((long) capacity * MsgHdr.IOVEC_SIZE);
        this.names = new Memory((long) capacity * SOCKADDR);
        headers.clear();
        ByteBuffer all = ByteBuffer.allocateDirect(capacity * maxSize);
        Pointer data = Native.getDirectBufferPointer(all);
        datagrams = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            datagrams[i] = all.slice(i * maxSize, maxSize);
            long iov = (long) i * MsgHdr.IOVEC_SIZE;
            iovecs.setPointer(iov, data.share((long) i * maxSize));
            iovecs.setLong(iov + MsgHdr.IOVEC_LEN, maxSize);
            MsgHdr.point(headers, (long) i * MsgHdr.MMSG_SIZE, names.share((long) i * SOCKADDR), SOCKADDR, iovecs.share(iov));
        }
    }

    /** The batch this system can do best: this one where it works, else {@link DatagramBatch#portable}. */
    public static DatagramBatch create(int capacity, int maxSize) {
        if (capacity < 1 || maxSize < 1) {
            throw new IllegalArgumentException("capacity and maxSize must be positive");
        }
        if (!ChannelDescriptors.available()) {
            return DatagramBatch.portable(capacity, maxSize);
        }
        return new MmsgDatagramBatch(capacity, maxSize);
    }

    @Override
    public int receive(DatagramChannel channel) throws IOException {
        int fd = ChannelDescriptors.of(channel);
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        for (int i = 0; i < filled; i++) { // the kernel wrote each sender's length there
            headers.setInt((long) i * MsgHdr.MMSG_SIZE + MsgHdr.NAMELEN, SOCKADDR);
        }
        filled = 0;
        int n = LibC.recvmmsg(fd, headers, capacity, LibC.MSG_DONTWAIT, null);
        if (n < 0) {
            int errno = LibC.errno();
            switch (errno) {
                case LibC.EAGAIN, LibC.EINTR -> {
                    return 0;
                }
                case LibC.ECONNREFUSED -> throw new PortUnreachableException("ICMP port unreachable");
                case LibC.EBADF, LibC.ENOTSOCK -> throw new ClosedChannelException();
                default -> throw new IOException("recvmmsg: " + LibC.strerror(errno));
            }
        }
        filled = n;
        for (int i = 0; i < n; i++) {
            int len = headers.getInt((long) i * MsgHdr.MMSG_SIZE + MsgHdr.MMSG_LEN);
            ByteBuffer b = datagrams[i];
            b.clear();
            b.limit(Math.min(len, b.capacity()));
        }
        return n;
    }

    @Override
    public ByteBuffer datagram(int i) {
        return datagrams[i];
    }

    @Override
    public boolean truncated(int i) {
        return (headers.getInt((long) i * MsgHdr.MMSG_SIZE + MsgHdr.FLAGS) & LibC.MSG_TRUNC) != 0;
    }

    @Override
    public SocketAddress sender(int i) {
        names.read((long) i * SOCKADDR, name, 0, SOCKADDR);
        int length = headers.getInt((long) i * MsgHdr.MMSG_SIZE + MsgHdr.NAMELEN);
        if (lastSender != null && Arrays.equals(name, 0, length, lastName, 0, length)) {
            return lastSender; // one flow is the common case: no address object per datagram
        }
        int port = ((name[2] & 0xFF) << 8) | (name[3] & 0xFF);
        int family = (name[0] & 0xFF) | ((name[1] & 0xFF) << 8);
        byte[] address = family == AF_INET6 ? Arrays.copyOfRange(name, 8, 24) : Arrays.copyOfRange(name, 4, 8);
        try {
            lastSender = new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which the copies above exclude
        }
        System.arraycopy(name, 0, lastName, 0, SOCKADDR);
        return lastSender;
    }

    @Override
    public int capacity() {
        return capacity;
    }
}
