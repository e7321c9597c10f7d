package io.rsock.packet.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one-line JSON-ish results {@link PacketLayerMain} prints, written and read back (strings without quotes inside). */
final class LabOutput {
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String line;

    private LabOutput(String line) {
        this.line = line;
    }

    /** The RESULT line of a process's output. */
    static LabOutput parse(String output) {
        for (String l : output.split("\n")) {
            if (l.startsWith("RESULT ")) {
                return new LabOutput(l.substring("RESULT ".length()));
            }
        }
        throw new AssertionError("no RESULT line in:\n" + output);
    }

    long number(String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + line);
        }
        return Long.parseLong(m.group(1));
    }

    String string(String key) {
        Matcher m = Pattern.compile("\"" + key + "\":" + STRING.pattern()).matcher(line);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + line);
        }
        return unescape(m.group(1));
    }

    List<String> strings(String key) {
        int at = line.indexOf("\"" + key + "\":[");
        if (at < 0) {
            throw new AssertionError("no " + key + " in " + line);
        }
        int from = at + key.length() + 4;
        List<String> out = new ArrayList<>();
        Matcher m = STRING.matcher(line);
        int pos = from;
        while (pos < line.length() && line.charAt(pos) != ']') {
            if (!m.find(pos) || m.start() != pos) {
                throw new AssertionError("bad array " + key + " in " + line);
            }
            out.add(unescape(m.group(1)));
            pos = m.end();
            if (pos < line.length() && line.charAt(pos) == ',') {
                pos++;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return line;
    }

    static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String jsonArray(List<String> items) {
        return "[" + String.join(",", items.stream().map(LabOutput::jsonString).toList()) + "]";
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
