package io.rsock.packet.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.rsock.packet.LinuxOnly;
import java.nio.Buffer;

/**
 * The few libc calls the packet layer needs, bound with JNA direct mapping: no proxy, no
 * per-call allocation, which is what lets the capture and send paths run allocation-free.
 * JNA honours a {@link Buffer}'s position for both direct and heap buffers.
 */
@LinuxOnly
public final class LibC {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int IPPROTO_RAW = 255;
    public static final int MSG_DONTWAIT = 0x40;
    /** In a received message's flags: the datagram was longer than the buffer and was cut. */
    public static final int MSG_TRUNC = 0x20;
    public static final int SOL_SOCKET = 1;
    public static final int SO_ATTACH_FILTER = 26;

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EINVAL = 22;
    public static final int ENOTSOCK = 88;
    public static final int ECONNREFUSED = 111;
    public static final int EMSGSIZE = 90;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int EHOSTUNREACH = 113;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    public static native int socket(int domain, int type, int protocol);

    public static native long sendto(int fd, Buffer buf, long len, int flags, Buffer addr, int addrLen);

    public static native int close(int fd);

    public static native int recvmmsg(int fd, Pointer msgs, int vlen, int flags, Pointer timeout);

    public static native int sendmmsg(int fd, Pointer msgs, int vlen, int flags);

    public static native long sendmsg(int fd, Pointer msg, int flags);

    public static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    /** Only for requests whose argument is a pointer (ifreq and the like). */
    public static native int ioctl(int fd, long request, Pointer arg);

    public static native String strerror(int errno);

    /** errno of the last native call on this thread (JNA preserves it per thread). */
    public static int errno() {
        return Native.getLastError();
    }
}
