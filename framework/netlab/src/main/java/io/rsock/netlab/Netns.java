package io.rsock.netlab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Opens sockets in another network namespace from this JVM: the calling thread enters the
 * namespace with {@code setns(2)} (Linux moves one thread, not the process), runs a short set-up
 * that opens, binds or connects sockets, and returns to the namespace it came from. A socket
 * belongs for its whole life to the namespace it was created in, so its I/O then works from any
 * thread. That is what lets the lab run its echo and probes as threads instead of a JVM each.
 *
 * <p>The set-up must not start a thread, submit work to an executor or block: a thread created
 * while its creator is inside stays inside, and would keep the namespace (and its veths) alive
 * after the lab deletes it. {@link #call} checks that no such thread appeared and fails if one did.
 */
public final class Netns {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");
    /** Task ids of the threads inside a namespace right now, on purpose: not strays. */
    private static final Set<String> INSIDE = ConcurrentHashMap.newKeySet();

    private Netns() {
    }

    /** What runs inside a namespace: opens sockets and returns them; starts no thread and does not block. */
    @FunctionalInterface
    public interface Setup<T> {
        T open() throws IOException;
    }

    /**
     * Runs {@code setup} with the calling thread in the network namespace of {@code namespace} (a
     * file {@code ip netns add} made, {@code /var/run/netns/<name>}) and returns what it opened.
     * The thread is back in its own namespace when this returns or throws.
     *
     * @throws LabException when the namespace cannot be entered or {@code setup} fails
     */
    public static <T> T call(Path namespace, Setup<T> setup) {
        // Everything but setns and the set-up happens outside: the fewer calls inside, the fewer
        // chances that one starts a thread there. Close-on-exec, so that no child process holds them.
        int own = open(OWN);
        int target;
        try {
            target = open(namespace);
        } catch (LabException e) {
            Libc.close(own);
            throw e;
        }
        String task = taskId();
        INSIDE.add(task);
        T opened;
        try {
            opened = enterRunLeave(namespace, own, target, setup);
        } finally {
            INSIDE.remove(task);
            Libc.close(target);
            Libc.close(own);
        }
        try {
            checkNoStrays(namespace);
        } catch (LabException e) {
            if (opened instanceof AutoCloseable c) {
                Closing.quietly(c);
            }
            throw e;
        }
        return opened;
    }

    private static <T> T enterRunLeave(Path namespace, int own, int target, Setup<T> setup) {
        setns(target, "enter " + namespace);
        try {
            return setup.open();
        } catch (IOException e) {
            throw new LabException("cannot open sockets in " + namespace + ": " + e.getMessage(), e);
        } finally {
            setns(own, "return from " + namespace + " to its own namespace");
        }
    }

    private static void setns(int fd, String action) {
        try {
            Libc.setns(fd, CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new LabException("setns: thread '" + Thread.currentThread().getName() + "' cannot " + action + " ("
                    + Libc.strerror(e.getErrorCode()) + ")", e);
        }
    }

    private static int open(Path file) {
        try {
            return Libc.open(file.toString(), O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new LabException("no network namespace at " + file + " (" + Libc.strerror(e.getErrorCode()) + ")", e);
        }
    }

    /** This thread's id in {@code /proc/self/task}. */
    private static String taskId() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException e) {
            throw new LabException("cannot read /proc/thread-self: " + e.getMessage(), e);
        }
    }

    /** Fails, naming them, when threads other than those entering on purpose are in {@code namespace}. */
    private static void checkNoStrays(Path namespace) {
        Object inode = inode(namespace);
        if (inode == null) {
            return; // deleted meanwhile: nothing left to keep alive
        }
        List<String> strays = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (!INSIDE.contains(task.getFileName().toString()) && inode.equals(inode(task.resolve("ns/net")))) {
                    strays.add(name(task));
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot list this JVM's threads: " + e.getMessage(), e);
        }
        if (!strays.isEmpty()) {
            throw new LabException("threads started while a thread was inside " + namespace + " stay there and keep it alive: "
                    + strays + " (the set-up inside must start no thread)");
        }
    }

    /** The namespace's inode, or null when the file is gone (a thread or process that ended meanwhile). */
    static Object inode(Path nsFile) {
        try {
            return Files.getAttribute(nsFile, "unix:ino");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String name(Path task) {
        try {
            return task.getFileName() + ":" + Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return task.getFileName().toString();
        }
    }

    /** libc's open, setns, close and strerror, bound with JNA direct mapping. */
    private static final class Libc {
        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int setns(int fd, int nstype) throws LastErrorException;

        static native int close(int fd);

        static native String strerror(int errno);
    }
}
