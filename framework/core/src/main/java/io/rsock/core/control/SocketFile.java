package io.rsock.core.control;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Where the control socket's file comes from. It is bound inside a directory only this user can
 * enter (mode 0700, made with that mode), set to 0600 there, and only then given its name with a
 * hard link, which fails rather than replace anything: so it is never reachable with a wider mode,
 * not for an instant, and nothing at {@code --unPath} is ever overwritten. A file already at the
 * name is removed only when it is a socket that nothing answers on (left by a killed run); anything
 * else there is left alone and the start fails, saying why.
 */
final class SocketFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SocketFile() {
    }

    /** Binds a Unix domain socket at {@code path} with mode 0600 (see the class comment). */
    static ServerSocketChannel bind(Path path) throws IOException {
        clearStale(path);
        Path dir = path.toAbsolutePath().getParent();
        Path privateDir;
        try {
            privateDir = privateDirectory(dir);
        } catch (UnsupportedOperationException e) {
            return open(path); // not a POSIX file system: its own permissions are all there is
        }
        Path inside = privateDir.resolve("s");
        try {
            ServerSocketChannel ch;
            try {
                ch = open(inside);
            } catch (SocketException e) {
                throw unreachable(path, e); // its directory's path alone is too long for a socket address
            }
            try {
                Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
                Files.createLink(path, inside);
                requireReachable(path);
                return ch;
            } catch (FileAlreadyExistsException e) {
                ch.close();
                throw new IOException(path + " appeared while the control socket was made; not replacing it");
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(inside);
            Files.deleteIfExists(privateDir);
        }
    }

    /**
     * Connects once to the new name. The short private directory lets a path of any length bind,
     * but a client must fit the whole path in a socket address (about 100 bytes, by OS): a socket no
     * {@code rsock status} could ever reach fails the start instead. The control thread reads this
     * connection as an empty request.
     */
    private static void requireReachable(Path path) throws IOException {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            probe.shutdownOutput();
        } catch (IOException e) {
            Files.deleteIfExists(path);
            throw unreachable(path, e);
        }
    }

    private static IOException unreachable(Path path, IOException why) {
        return new IOException("no client could reach a control socket at " + path + " ("
                + path.toString().getBytes(StandardCharsets.UTF_8).length + " bytes: " + why.getMessage() + "); choose a shorter --unPath");
    }

    /** A new directory in {@code dir} with mode 0700; its name short, since a socket's path is at most 107 bytes. */
    private static Path privateDirectory(Path dir) throws IOException {
        FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"));
        for (int tries = 0; ; tries++) {
            try {
                return Files.createDirectory(dir.resolve(".rsk" + Integer.toHexString(RANDOM.nextInt(1 << 24))), owner);
            } catch (FileAlreadyExistsException e) {
                if (tries == 10) {
                    throw e;
                }
            }
        }
    }

    /** The file's identity (device and inode), to tell later whether the name still holds our socket. */
    static Object identity(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Deletes {@code path} if it is still the file of {@code identity}; someone else's file there stays. */
    static void deleteIfStill(Path path, Object identity) throws IOException {
        if (identity != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS) && identity.equals(identity(path))) {
            Files.delete(path);
        }
    }

    private static ServerSocketChannel open(Path at) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(at));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Removes a socket file nothing answers on; refuses anything else at {@code path}. */
    private static void clearStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IOException(path + " exists and is not a socket; not touching it (choose another --unPath)");
        }
        if (isLive(path)) {
            throw new IOException("another process answers on " + path + " (is rsock already running with this --unPath?)");
        }
        Files.delete(path); // left by a run that was killed
    }

    private static boolean isSocket(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no way to tell here: not ours to delete
        }
    }

    private static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
