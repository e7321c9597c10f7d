package io.rsock.packet.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.rsock.packet.LinuxOnly;
import java.nio.ByteBuffer;

/**
 * One thread's native scratch for handing many IP packets of one family to a raw socket of that
 * family with one {@code sendmmsg(2)}: message headers, one iovec and one {@code sockaddr_in} or
 * {@code sockaddr_in6} per message, and a slot per message that the packet is copied into (a copy of
 * a packet costs far less than the system call it saves). Linux, LP64 only ({@link MsgHdr}).
 */
@LinuxOnly
public final class RawSendBatch {
    /** Most packets per call. */
    public static final int CAPACITY = 32;
    /** A packet larger than this goes out on its own. */
    public static final int SLOT = 2048;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN = 16;
    /** {@code sizeof(struct sockaddr_in6)}: family, port, flow info, the address, scope id. */
    public static final int SOCKADDR_IN6 = 28;

    private final Memory headers = new Memory((long) CAPACITY * MsgHdr.MMSG_SIZE);
    private final Memory iovecs = new Memory((long) CAPACITY * MsgHdr.IOVEC_SIZE);
    private final Memory names;
    private final Memory data = new Memory((long) CAPACITY * SLOT);
    private final ByteBuffer[] slots = new ByteBuffer[CAPACITY];
    private final int version;
    private final int nameSize;
    private int count;

    /** Scratch for IPv4 packets. */
    public RawSendBatch() {
        this(4);
    }

    /** Scratch for packets of IP {@code version} 4 or 6, for a raw socket of that family. */
    public RawSendBatch(int version) {
        this.version = version;
        this.nameSize = version == 6 ? SOCKADDR_IN6 : SOCKADDR_IN;
        this.names = new Memory((long) CAPACITY * nameSize);
        headers.clear();
        names.clear();
        for (int i = 0; i < CAPACITY; i++) {
            slots[i] = data.getByteBuffer((long) i * SLOT, SLOT);
            long iov = (long) i * MsgHdr.IOVEC_SIZE;
            iovecs.setPointer(iov, data.share((long) i * SLOT));
            MsgHdr.point(headers, (long) i * MsgHdr.MMSG_SIZE, names.share((long) i * nameSize), nameSize, iovecs.share(iov));
            // The family in host order; the port 0 (raw), flow info and scope id 0.
            names.setShort((long) i * nameSize, (short) (version == 6 ? LibC.AF_INET6 : LibC.AF_INET));
        }
    }

    /**
     * Whether {@code packet} (position to limit) can be added: of this batch's IP version, it fits a
     * slot and the batch is not full.
     */
    public boolean fits(ByteBuffer packet) {
        return count < CAPACITY && packet.remaining() <= SLOT && ((packet.get(packet.position()) & 0xFF) >>> 4) == version;
    }

    /** Copies the IP packet in, addressed to the header's destination. Check {@link #fits} first. */
    public void add(ByteBuffer packet) {
        int length = packet.remaining();
        slots[count].put(0, packet, packet.position(), length);
        iovecs.setLong((long) count * MsgHdr.IOVEC_SIZE + MsgHdr.IOVEC_LEN, length);
        destination(packet, names, (long) count * nameSize);
        count++;
    }

    /**
     * Writes the destination of the IPv4 or IPv6 packet at {@code packet}'s position into the
     * sockaddr at {@code at} (whose family is set): the address in network order, as the header
     * holds it, so its bytes as they are.
     */
    public static void destination(ByteBuffer packet, Pointer sockaddr, long at) {
        boolean v6 = (packet.get(packet.position()) & 0xF0) == 0x60;
        int dst = packet.position() + (v6 ? 24 : 16);
        long addr = at + (v6 ? 8 : 4);
        for (int i = 0; i < (v6 ? 16 : 4); i++) {
            sockaddr.setByte(addr + i, packet.get(dst + i));
        }
    }

    public int size() {
        return count;
    }

    /** 4 or 6: the IP version of the packets this batch takes. */
    public int version() {
        return version;
    }

    /** Forgets the packets added. */
    public void clear() {
        count = 0;
    }

    /**
     * One {@code sendmmsg} of the packets from {@code first}.
     *
     * @return how many the kernel took (from {@code first} on), or -1 with errno set when the one at
     *     {@code first} failed
     */
    public int sendFrom(int fd, int first, int flags) {
        Pointer from = first == 0 ? headers : headers.share((long) first * MsgHdr.MMSG_SIZE);
        return LibC.sendmmsg(fd, from, count - first, flags);
    }
}
