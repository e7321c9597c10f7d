package io.rsock.packet.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.rsock.packet.LinuxOnly;
import java.nio.ByteBuffer;

/**
 * One thread's native scratch for handing many IPv4 packets to a raw socket with one
 * {@code sendmmsg(2)}: message headers, one iovec and one {@code sockaddr_in} per message, and a
 * slot per message that the packet is copied into (a copy of a packet costs far less than the
 * system call it saves). Linux, LP64 only ({@link MsgHdr}).
 */
@LinuxOnly
public final class RawSendBatch {
    /** Most packets per call. */
    public static final int CAPACITY = 32;
    /** A packet larger than this goes out on its own. */
    public static final int SLOT = 2048;
    private static final int SOCKADDR_IN = 16;

    private final Memory headers = new Memory((long) CAPACITY * MsgHdr.MMSG_SIZE);
    private final Memory iovecs = new Memory((long) CAPACITY * MsgHdr.IOVEC_SIZE);
    private final Memory names = new Memory((long) CAPACITY * SOCKADDR_IN);
    private final Memory data = new Memory((long) CAPACITY * SLOT);
    private final ByteBuffer[] slots = new ByteBuffer[CAPACITY];
    private int count;

    public RawSendBatch() {
        headers.clear();
        names.clear();
        for (int i = 0; i < CAPACITY; i++) {
            slots[i] = data.getByteBuffer((long) i * SLOT, SLOT);
            long iov = (long) i * MsgHdr.IOVEC_SIZE;
            iovecs.setPointer(iov, data.share((long) i * SLOT));
            MsgHdr.point(headers, (long) i * MsgHdr.MMSG_SIZE, names.share((long) i * SOCKADDR_IN), SOCKADDR_IN, iovecs.share(iov));
            names.setShort((long) i * SOCKADDR_IN, (short) LibC.AF_INET); // sin_family, host order; sin_port 0 (raw)
        }
    }

    /** Whether {@code packet} (position to limit) can be added: it fits a slot and the batch is not full. */
    public boolean fits(ByteBuffer packet) {
        return count < CAPACITY && packet.remaining() <= SLOT;
    }

    /** Copies the IPv4 packet in, addressed to the header's destination. Check {@link #fits} first. */
    public void add(ByteBuffer packet) {
        int length = packet.remaining();
        slots[count].put(0, packet, packet.position(), length);
        iovecs.setLong((long) count * MsgHdr.IOVEC_SIZE + MsgHdr.IOVEC_LEN, length);
        // sin_addr in network order, as the header's destination field is: the four bytes as they are.
        long sinAddr = (long) count * SOCKADDR_IN + 4;
        int dst = packet.position() + 16;
        for (int i = 0; i < 4; i++) {
            names.setByte(sinAddr + i, packet.get(dst + i));
        }
        count++;
    }

    public int size() {
        return count;
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
