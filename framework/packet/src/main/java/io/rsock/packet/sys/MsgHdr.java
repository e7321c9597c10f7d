package io.rsock.packet.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.rsock.packet.LinuxOnly;

/**
 * Where the fields of {@code struct msghdr}, {@code struct mmsghdr} and {@code struct iovec} lie on
 * LP64 Linux, the only place the batched calls run ({@link ChannelDescriptors#available()}), and the
 * one way the callers point a header at its address and its single buffer.
 */
@LinuxOnly
final class MsgHdr {
    static final int NAME = 0;
    static final int NAMELEN = 8;
    static final int IOV = 16;
    static final int IOVLEN = 24;
    static final int CONTROL = 32;
    static final int CONTROLLEN = 40;
    /** {@code msg_flags}: what the kernel says of a received message, {@link LibC#MSG_TRUNC} among them. */
    static final int FLAGS = 48;
    /** {@code sizeof(struct msghdr)}. */
    static final int SIZE = 56;
    /** {@code struct mmsghdr}: a msghdr, then {@code msg_len}, padded to 64 bytes. */
    static final int MMSG_LEN = 56;
    static final int MMSG_SIZE = 64;
    /** {@code struct iovec}: base, then length. */
    static final int IOVEC_LEN = 8;
    static final int IOVEC_SIZE = 16;

    private MsgHdr() {
    }

    /** Points the header at {@code at} to the address {@code name} ({@code nameLength} bytes) and the one iovec {@code iov}. */
    static void point(Memory headers, long at, Pointer name, int nameLength, Pointer iov) {
        headers.setPointer(at + NAME, name);
        headers.setInt(at + NAMELEN, nameLength);
        headers.setPointer(at + IOV, iov);
        headers.setLong(at + IOVLEN, 1);
    }
}
