package io.rsock.packet.capture;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.Buffer;

/**
 * {@code memcpy} of the C library every OS has (libc on Linux and macOS, msvcrt on Windows), bound
 * with JNA direct mapping: how a captured packet is copied into the capture's buffer without
 * allocating. Kept apart from the Linux-only libc calls so that the portable path binds only this.
 */
final class CMemory {
    static {
        Native.register(CMemory.class, Platform.C_LIBRARY_NAME);
    }

    private CMemory() {
    }

    /** Copies {@code n} bytes of native memory (a libpcap packet) into {@code dst} at its position. */
    static native Pointer memcpy(Buffer dst, Pointer src, long n);
}
