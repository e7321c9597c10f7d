package io.rsock.packet.inject;

import io.rsock.packet.LinuxOnly;
import io.rsock.packet.sys.LibC;

/** errno values turned into messages that tell the user what to do. */
@LinuxOnly
final class Errno {
    private Errno() {
    }

    static String describe(int errno) {
        String text;
        try {
            text = LibC.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = "errno " + errno;
        }
        return switch (errno) {
            case LibC.EPERM, LibC.EACCES -> text + " (raw sockets need root or cap_net_raw; a firewall OUTPUT rule can also refuse packets)";
            case LibC.EMSGSIZE -> text + " (packet larger than the device MTU)";
            case LibC.ENETUNREACH, LibC.EHOSTUNREACH -> text + " (no route to the packet's destination)";
            case LibC.EINVAL -> text + " (malformed IPv4 header)";
            default -> text;
        };
    }
}
