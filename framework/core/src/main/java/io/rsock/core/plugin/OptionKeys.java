package io.rsock.core.plugin;

import io.rsock.core.config.UsageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks the {@code --opt} keys of a run against what the loaded transports and the host's own
 * layers declare, so that a mistyped key is an error instead of a silently ignored setting. A
 * transport that declares nothing (a plugin built against an rsock-api without
 * {@code ConnTransport.options()}) vouches for every key under its {@code type.} prefix, with a
 * warning.
 */
public final class OptionKeys {
    private OptionKeys() {
    }

    /**
     * @param given the keys the user set ({@code --opt} and the config file's options)
     * @param transports every loaded transport, selected or not: a config file may serve several runs
     * @param layerKeys the keys the host's layers read (the packet layer's), key to description
     * @return one warning per key accepted only by an undeclaring transport's prefix
     * @throws UsageException naming the first unknown key and every known one
     */
    public static List<String> check(Collection<String> given, Collection<LoadedTransport> transports, Map<String, String> layerKeys) {
        TreeSet<String> known = new TreeSet<>(layerKeys.keySet());
        List<LoadedTransport> undeclaring = new ArrayList<>();
        for (LoadedTransport t : transports) {
            Map<String, String> declared = t.transport().options();
            if (declared.isEmpty()) {
                undeclaring.add(t);
            }
            known.addAll(declared.keySet());
        }
        List<String> warnings = new ArrayList<>();
        for (String key : new TreeSet<>(given)) {
            if (known.contains(key)) {
                continue;
            }
            LoadedTransport owner = undeclaring.stream().filter(t -> key.startsWith(t.type() + ".")).findFirst().orElse(null);
            if (owner == null) {
                throw new UsageException("--opt " + key + ": no loaded transport or layer reads this key; known keys: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
            warnings.add("--opt " + key + ": passed to transport " + owner.type() + " (plugin " + owner.pluginId() + ") unchecked: "
                    + "it declares no options (built against an older rsock-api)");
        }
        return warnings;
    }
}
