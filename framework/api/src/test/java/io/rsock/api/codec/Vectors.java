package io.rsock.api.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads the captured packets of {@code src/test/resources/vectors/*.hex}: "name hex" per line, '#' comments. */
final class Vectors {
    private Vectors() {
    }

    static Map<String, byte[]> load(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing vector file " + resource);
            }
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                out.put(parts[0], HexFormat.of().parseHex(parts[1]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packet at offset {@code pad} of a bigger buffer, to catch code that assumes offset 0. */
    static ByteBuffer at(byte[] packet, int pad) {
        ByteBuffer b = ByteBuffer.allocate(pad + packet.length + 7);
        b.put(pad, packet);
        b.limit(pad + packet.length);
        return b;
    }
}
