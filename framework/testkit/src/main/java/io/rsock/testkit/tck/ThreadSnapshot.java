package io.rsock.testkit.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The threads alive at one moment, to find the ones a transport started and left running. Threads
 * of the JDK's own ("system" group: cleaners, process reapers) and of JUnit are not the transport's.
 */
final class ThreadSnapshot {
    private final Set<Thread> before;

    private ThreadSnapshot(Set<Thread> before) {
        this.before = before;
    }

    static ThreadSnapshot take() {
        return new ThreadSnapshot(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** Threads alive now that were not at the snapshot, less those {@code ignore} accepts. */
    List<Thread> newSince(Predicate<Thread> ignore) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && !isInfrastructure(t) && !ignore.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean isInfrastructure(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return (g != null && "system".equals(g.getName()))
                || t.getName().startsWith("junit-")
                || t.getName().startsWith("ForkJoinPool.commonPool");
    }
}
