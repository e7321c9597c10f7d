package io.rsock.packet.sys;

import com.sun.jna.Memory;
import io.rsock.api.io.DatagramSender;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DatagramSender} with UDP segmentation offload: each run of same-size datagrams (the last may
 * be shorter) is copied into one buffer and sent with one {@code sendmsg} carrying
 * {@code UDP_SEGMENT}, so it crosses the stack, the veth, a router's forwarding and conntrack as one
 * packet and is cut into datagrams at the device or the receiver (Linux 4.18+). Where the kernel
 * refuses (no GSO on the route, IPsec), it falls back for good to one datagram per call.
 */
public final class GsoDatagramSender implements DatagramSender {
    private static final Logger log = LoggerFactory.getLogger(GsoDatagramSender.class);
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    /** The kernel's limit on segments per send in older kernels (UDP_MAX_SEGMENTS was 64 before 5.x). */
    static final int MAX_SEGMENTS = 64;
    /** Below the 65 507 bytes an IPv4 UDP datagram may carry. */
    static final int MAX_BYTES = 65_000;
    // struct msghdr on LP64: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48.
    private static final int MSGHDR = 56;
    // struct cmsghdr: len 0 (size_t), level 8, type 12, data 16; CMSG_SPACE(sizeof(uint16_t)) = 24.
    private static final int CMSG_SPACE = 24;
    private static final int CMSG_LEN = 18;
    private static final int SOCKADDR = 32;

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile boolean segmentation = true;

    private GsoDatagramSender() {
    }

    /** This where {@link ChannelDescriptors} works, else {@link DatagramSender#portable()}. */
    public static DatagramSender create() {
        return ChannelDescriptors.available() ? new GsoDatagramSender() : DatagramSender.portable();
    }

    /** One thread's native message: header, iovec, destination, control message and the data. */
    private static final class Scratch {
        final Memory msg = new Memory(MSGHDR);
        final Memory iov = new Memory(16);
        final Memory name = new Memory(SOCKADDR);
        final Memory control = new Memory(CMSG_SPACE);
        final Memory data = new Memory(MAX_BYTES);
        final ByteBuffer view = data.getByteBuffer(0, MAX_BYTES);
        /** The destination {@link #name} holds, by identity. */
        SocketAddress named;
        int nameLength;

        Scratch() {
            msg.clear();
            control.clear();
            name.clear();
            iov.setPointer(0, data);
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            control.setLong(0, CMSG_LEN);
            control.setInt(8, SOL_UDP);
            control.setInt(12, UDP_SEGMENT);
            msg.setPointer(32, control);
            msg.setLong(40, CMSG_SPACE);
        }

        /** Points the message at {@code to} (null: the connected peer). */
        void address(SocketAddress to) {
            if (to == null) {
                msg.setPointer(0, null);
                msg.setInt(8, 0);
                return;
            }
            if (to != named) {
                InetSocketAddress a = (InetSocketAddress) to;
                byte[] ip = a.getAddress().getAddress();
                name.clear();
                name.setByte(2, (byte) (a.getPort() >>> 8));
                name.setByte(3, (byte) a.getPort());
                if (a.getAddress() instanceof Inet4Address) {
                    name.setShort(0, (short) LibC.AF_INET);
                    name.write(4, ip, 0, 4);
                    nameLength = 16;
                } else {
                    name.setShort(0, (short) 10); // AF_INET6
                    name.write(8, ip, 0, 16);
                    nameLength = 28;
                }
                named = to;
            }
            msg.setPointer(0, name);
            msg.setInt(8, nameLength);
        }
    }

    @Override
    public int send(DatagramChannel channel, SocketAddress to, ByteBuffer[] datagrams, int count) throws IOException {
        if (!segmentation || count < 2) {
            return DatagramSender.portable().send(channel, to, datagrams, count);
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int fd = ChannelDescriptors.of(channel);
        Scratch s = scratch.get();
        s.address(to);
        int sent = 0;
        int i = 0;
        while (i < count) {
            // A run: datagrams of the first one's size, and at most one shorter one to end it.
            int size = datagrams[i].remaining();
            int n = 0;
            int bytes = 0;
            while (i + n < count && n < MAX_SEGMENTS && size > 0) {
                int len = datagrams[i + n].remaining();
                if (len == 0 || len > size || bytes + len > MAX_BYTES || (n > 0 && datagrams[i + n - 1].remaining() < size)) {
                    break;
                }
                s.view.put(bytes, datagrams[i + n], datagrams[i + n].position(), len);
                bytes += len;
                n++;
            }
            if (n < 2) { // alone (or empty): nothing to segment
                if (!sendOne(channel, to, datagrams[i])) {
                    return sent;
                }
                sent++;
                i++;
                continue;
            }
            s.iov.setLong(8, bytes);
            s.control.setShort(16, (short) size);
            long r = LibC.sendmsg(fd, s.msg, LibC.MSG_DONTWAIT);
            if (r < 0) {
                int errno = LibC.errno();
                switch (errno) {
                    case LibC.EAGAIN, LibC.ENOBUFS -> {
                        return sent; // the socket buffer is full: so it is for the rest
                    }
                    case LibC.ECONNREFUSED -> throw new PortUnreachableException("ICMP port unreachable");
                    case LibC.EBADF -> throw new ClosedChannelException();
                    default -> {
                        // EIO (IPsec on the route), EINVAL (a segment over the path MTU, an old kernel)...
                        segmentation = false;
                        log.info("udp: the kernel refused segmentation offload ({}); one datagram per call from now on",
                                LibC.strerror(errno));
                        while (i < count && sendOne(channel, to, datagrams[i])) {
                            sent++;
                            i++;
                        }
                        return sent;
                    }
                }
            }
            sent += n;
            i += n;
        }
        return sent;
    }

    /** One datagram the NIO way; false when the socket buffer is full. Leaves its position as it was. */
    private static boolean sendOne(DatagramChannel channel, SocketAddress to, ByteBuffer d) throws IOException {
        int position = d.position();
        int length = d.remaining();
        try {
            return (to == null ? channel.write(d) : channel.send(d, to)) > 0 || length == 0;
        } finally {
            d.position(position);
        }
    }
}
