package io.rsock.core.control;

import java.util.Map;

/** Something that can describe its live state for {@code rsock status}: conns, sessions, counters. */
@FunctionalInterface
public interface StatusSource {
    /** A JSON-friendly tree (maps, lists, strings, numbers, booleans). */
    Map<String, Object> status();
}
