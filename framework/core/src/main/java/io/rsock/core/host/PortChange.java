package io.rsock.core.host;

import java.util.Set;
import java.util.TreeSet;

/**
 * How an end's ports moved to a wanted set ({@code rsock reload}, {@code --random-ports}): what was
 * added, what was removed, and what could not be let go of (a transport that cannot stop listening).
 */
record PortChange(Set<Integer> added, Set<Integer> removed, Set<Integer> kept) {
    /** What to add and remove to get from {@code have} to {@code want}; nothing kept yet. */
    static PortChange between(Set<Integer> have, Set<Integer> want) {
        Set<Integer> added = new TreeSet<>(want);
        added.removeAll(have);
        Set<Integer> removed = new TreeSet<>(have);
        removed.removeAll(want);
        return new PortChange(added, removed, new TreeSet<>());
    }

    boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /** For the reload's answer and the log: {@code (added [..], removed [..])}. */
    String describe() {
        return "(added " + (added.isEmpty() ? "none" : added) + ", removed " + (removed.isEmpty() ? "none" : removed) + ")"
                + (kept.isEmpty() ? "" : "; still listening on " + kept + " until restart (a transport cannot close one port)");
    }
}
