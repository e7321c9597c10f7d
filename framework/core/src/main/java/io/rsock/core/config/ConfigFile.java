package io.rsock.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JSON config file of {@code -f}: an object whose keys are the long flags without dashes
 * ({@code "taddr"}, {@code "ports"}, {@code "cap_timeout"}...). It becomes command-line arguments
 * placed before the user's own, so that the same converters check both and a flag given on the
 * command line overrides the file.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * Reads {@code file} into arguments.
     *
     * @param isFlag whether a key names an option without a value ({@code "v": true})
     * @param isKnown whether a key names an option at all
     * @throws UsageException when the file is missing, unreadable, not JSON, or has an unknown key
     */
    public static List<String> toArguments(Path file, Predicate<String> isKnown, Predicate<String> isFlag) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("-f: config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new UsageException("-f: " + file + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UsageException("-f: cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UsageException("-f: " + file + " must hold one JSON object, e.g. {\"taddr\": \"127.0.0.1:9999\"}");
        }
        List<String> args = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.startsWith("_") || key.equals("comment")) {
                continue; // room for comments in a format that has none
            }
            if (!isKnown.test(key)) {
                throw new UsageException("-f: " + file + ": unknown key \"" + key + "\" (keys are the long flags, e.g. \"ports\")");
            }
            String flag = (key.length() == 1 ? "-" : "--") + key;
            if (isFlag.test(key)) {
                if (!v.isBoolean()) {
                    throw new UsageException("-f: " + file + ": \"" + key + "\" takes true or false");
                }
                if (v.booleanValue()) {
                    args.add(flag);
                }
            } else if (v.isObject()) {
                v.fields().forEachRemaining(o -> args.add(flag + "=" + o.getKey() + "=" + scalar(file, key, o.getValue())));
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(scalar(file, key, item)));
                args.add(flag + "=" + String.join(",", items));
            } else {
                args.add(flag + "=" + scalar(file, key, v));
            }
        }
        return args;
    }

    private static String scalar(Path file, String key, JsonNode v) {
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw new UsageException("-f: " + file + ": \"" + key + "\" must be a string or a number");
    }
}
