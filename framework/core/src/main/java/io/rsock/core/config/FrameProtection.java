package io.rsock.core.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What {@code --crypt} selects: how a frame is protected beyond its authentication. */
public enum FrameProtection {
    /** Authenticated (HMAC-SHA256), not encrypted: the default, since kcptun usually encrypts. */
    NONE("none"),
    /** AES-256-GCM: the payload encrypted, the header authenticated as associated data. */
    AES_GCM("aes-gcm"),
    /** ChaCha20-Poly1305: same, faster than AES where the CPU has no AES instructions. */
    CHACHA20_POLY1305("chacha20-poly1305");

    private final String flag;

    FrameProtection(String flag) {
        this.flag = flag;
    }

    /** The {@code --crypt} value. */
    public String flag() {
        return flag;
    }

    public static FrameProtection parse(String s) {
        for (FrameProtection p : values()) {
            if (p.flag.equalsIgnoreCase(s.strip())) {
                return p;
            }
        }
        throw new UsageException("--crypt: '" + s + "' is not one of "
                + Arrays.stream(values()).map(FrameProtection::flag).collect(Collectors.joining(", ")));
    }
}
