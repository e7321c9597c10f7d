package io.rsock.packet.sys;

import com.sun.jna.Memory;
import io.rsock.api.io.DatagramSender;
import io.rsock.packet.LinuxOnly;
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
@LinuxOnly
public final class GsoDatagramSender implements DatagramSender {
    private static final Logger log = LoggerFactory.getLogger(GsoDatagramSender.class);
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    /** The kernel's limit on segments per send in older kernels (UDP_MAX_SEGMENTS was 64 before 5.x). */
    static final int MAX_SEGMENTS = 64;
    /** Below the 65 507 bytes an IPv4 UDP datagram may carry. */
    static final int MAX_BYTES = 65_000;
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
        final Memory msg = new Memory(MsgHdr.SIZE);
        final Memory iov = new Memory(MsgHdr.IOVEC_SIZE);
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
            MsgHdr.point(msg, 0, null, 0, iov);
            control.setLong(0, CMSG_LEN);
            control.setInt(8, SOL_UDP);
            control.setInt(12, UDP_SEGMENT);
            msg.setPointer(MsgHdr.CONTROL, control);
            msg.setLong(MsgHdr.CONTROLLEN, CMSG_SPACE);
        }

        /** Points the message at {@code to} (null: the connected peer). */
        void address(SocketAddress to) {
            if (to == null) {
                MsgHdr.point(msg, 0, null, 0, iov);
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
            MsgHdr.point(msg, 0, name, nameLength, iov);
        }
    }

    /** Whether sends still go as segments (false once the kernel refused them). */
    boolean segmenting() {
        return segmentation;
    }

    @Override
    public int send(DatagramChannel channel, SocketAddress to, ByteBuffer[] datagrams, int from, int count) throws IOException {
        DatagramSender portable = DatagramSender.portable();
        if (!segmentation || count < 2) {
            return portable.send(channel, to, datagrams, from, count);
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int fd = ChannelDescriptors.of(channel);
        Scratch s = scratch.get();
        s.address(to);
        int sent = 0;
        int i = from;
        int end = from + count;
        while (i < end) {
            // A run: datagrams of the first one's size, and at most one shorter one to end it.
            int size = datagrams[i].remaining();
            int n = 0;
            int bytes = 0;
            while (i + n < end && n < MAX_SEGMENTS && size > 0) {
                int len = datagrams[i + n].remaining();
                if (len == 0 || len > size || bytes + len > MAX_BYTES || (n > 0 && datagrams[i + n - 1].remaining() < size)) {
                    break;
                }
                s.view.put(bytes, datagrams[i + n], datagrams[i + n].position(), len);
                bytes += len;
                n++;
            }
            if (n < 2) { // alone (or empty): nothing to segment
                if (portable.send(channel, to, datagrams, i, 1) == 0) {
                    return sent;
                }
                sent++;
                i++;
                continue;
            }
            s.iov.setLong(MsgHdr.IOVEC_LEN, bytes);
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
                        return sent + portable.send(channel, to, datagrams, i, end - i);
                    }
                }
            }
            sent += n;
            i += n;
        }
        return sent;
    }
}
