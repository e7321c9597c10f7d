package io.rsock.core.plugin;

import io.rsock.api.ConnTransport;
import io.rsock.core.config.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The transports available to this run, by type, and the choice {@code --type} makes among them:
 * one type, several ({@code tcp,udp}), or {@code all} (every transport not marked opt-in).
 */
public final class TransportCatalog {
    /** The {@code --type} value that selects every transport not marked opt-in. */
    public static final String ALL = "all";

    private final Map<String, LoadedTransport> byType = new LinkedHashMap<>();
    private final List<String> problems;
    private final String source;

    /**
     * @param transports what was loaded
     * @param problems plugins that could not be loaded, one line each
     * @param source where they were looked for, for messages ("plugins folder /opt/rsock/plugins")
     */
    public TransportCatalog(List<LoadedTransport> transports, List<String> problems, String source) {
        for (LoadedTransport t : transports) {
            byType.putIfAbsent(t.type(), t);
        }
        this.problems = List.copyOf(problems);
        this.source = source;
    }

    public List<LoadedTransport> all() {
        return new ArrayList<>(byType.values());
    }

    public List<String> problems() {
        return problems;
    }

    /**
     * The transports {@code typeSpec} names.
     *
     * @throws UsageException naming the type nobody provides and the ones that exist
     */
    public List<ConnTransport> select(String typeSpec) {
        List<ConnTransport> out = new ArrayList<>();
        for (String type : typeSpec.split(",", -1)) {
            String t = type.trim();
            if (t.equals(ALL)) {
                byType.values().stream().filter(l -> !l.transport().optIn()).forEach(l -> addOnce(out, l.transport()));
                continue;
            }
            LoadedTransport l = byType.get(t);
            if (l == null) {
                throw new UsageException("--type: no loaded plugin provides '" + t + "'; available: " + available()
                        + " (" + source + ")");
            }
            addOnce(out, l.transport());
        }
        if (out.isEmpty()) {
            throw new UsageException("--type: '" + typeSpec + "' selects no transport; available: " + available()
                    + " (" + source + ")");
        }
        return out;
    }

    private static void addOnce(List<ConnTransport> out, ConnTransport t) {
        if (!out.contains(t)) {
            out.add(t);
        }
    }

    private String available() {
        if (byType.isEmpty()) {
            return "none";
        }
        return byType.values().stream()
                .map(l -> l.type() + (l.transport().optIn() ? " (opt-in)" : ""))
                .collect(Collectors.joining(", ")) + ", all";
    }
}
