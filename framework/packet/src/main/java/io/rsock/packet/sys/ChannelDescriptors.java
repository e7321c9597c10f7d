package io.rsock.packet.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptor behind a NIO {@link DatagramChannel}, for the system calls NIO does not make
 * ({@code recvmmsg}, {@code sendmsg} with {@code UDP_SEGMENT}). Needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (bin/rsock passes it) and Linux on a 64-bit
 * JVM (the struct layouts of the callers); {@link #available()} says whether both hold.
 *
 * <p>A descriptor read this way is safe to use only while NIO keeps it open: from the thread that
 * selects on a registered channel (NIO closes it when that thread deregisters it), or while the
 * owner guarantees the channel is not closed.
 */
@LinuxOnly
public final class ChannelDescriptors {
    private static final Logger log = LoggerFactory.getLogger(ChannelDescriptors.class);
    private static final MethodHandle FD_VAL = accessor();

    private ChannelDescriptors() {
    }

    /** Whether {@link #of} works here. */
    public static boolean available() {
        return FD_VAL != null;
    }

    /** The channel's descriptor. */
    public static int of(DatagramChannel channel) throws IOException {
        try {
            return (int) FD_VAL.invokeExact((Object) channel);
        } catch (Throwable e) {
            throw new IOException("cannot read the channel's descriptor", e);
        }
    }

    private static MethodHandle accessor() {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            return null;
        }
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            MethodHandle h = MethodHandles.lookup().findVirtual(selCh, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
            try (DatagramChannel probe = DatagramChannel.open()) {
                h.invoke(probe); // proves the export is there
                LibC.errno(); // and that JNA loads
            }
            return h;
        } catch (Throwable e) {
            log.debug("batched datagram calls unavailable ({}); one system call per datagram", e.toString());
            return null;
        }
    }
}
