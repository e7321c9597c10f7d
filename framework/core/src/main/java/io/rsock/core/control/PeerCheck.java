package io.rsock.core.control;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may talk to the control socket: root and the user the run is, told by the kernel
 * ({@code SO_PEERCRED}, which the JDK reads as {@link ExtendedSocketOptions#SO_PEERCRED}), not
 * by anything the peer says. The file's mode (0600) already keeps others out; this holds where the mode
 * does not (a process with {@code CAP_DAC_OVERRIDE}, a file system that ignores modes).
 */
final class PeerCheck {
    private final UserPrincipal self;
    private final UserPrincipal root;

    /** {@code self}: the run's user (the owner of the socket file it made). */
    PeerCheck(UserPrincipal self) {
        this.self = self;
        UserPrincipal r;
        try {
            r = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
        } catch (IOException | UnsupportedOperationException e) {
            r = null;
        }
        this.root = r;
    }

    /** Whether {@code user} may ask. */
    boolean allows(UserPrincipal user) {
        return user != null && (user.equals(self) || user.equals(root));
    }

    /** The peer's user, or null when the platform cannot tell (then nobody is allowed). */
    static UserPrincipal peerOf(SocketChannel c) {
        try {
            UnixDomainPrincipal p = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return p == null ? null : p.user();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
