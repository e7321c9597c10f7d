package io.rsock.packet.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.nio.channels.DatagramChannel;

/**
 * How many datagrams the kernel dropped at a socket because its receive buffer was full: the
 * {@code SK_MEMINFO_DROPS} entry of {@code getsockopt(SO_MEMINFO)} (Linux 4.11+). It is how rsock
 * counts what its bounded queues refused. Read it from a timer, not per packet.
 */
@LinuxOnly
public final class SocketDrops {
    private static final int SOL_SOCKET = 1;
    private static final int SO_MEMINFO = 55;
    private static final int SK_MEMINFO_VARS = 9;
    private static final int SK_MEMINFO_DROPS = 8;
    private static final boolean AVAILABLE = register();

    private final DatagramChannel channel;
    private final int[] meminfo = new int[SK_MEMINFO_VARS];
    private final int[] length = new int[1];

    private SocketDrops(DatagramChannel channel) {
        this.channel = channel;
    }

    /** A reader of {@code channel}'s drops, or null where the kernel or the JVM cannot tell them. */
    public static SocketDrops of(DatagramChannel channel) {
        return AVAILABLE && ChannelDescriptors.available() ? new SocketDrops(channel) : null;
    }

    /** Drops so far, or -1 if the socket is closed or the call failed. One caller at a time. */
    public synchronized long drops() {
        if (!channel.isOpen()) {
            return -1;
        }
        try {
            length[0] = SK_MEMINFO_VARS * 4;
            if (getsockopt(ChannelDescriptors.of(channel), SOL_SOCKET, SO_MEMINFO, meminfo, length) != 0
                    || length[0] <= SK_MEMINFO_DROPS * 4) {
                return -1;
            }
            return Integer.toUnsignedLong(meminfo[SK_MEMINFO_DROPS]);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean register() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(SocketDrops.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static native int getsockopt(int fd, int level, int name, int[] value, int[] length);
}
