package io.rsock.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this rsock-api; the host refuses plugins whose {@code Plugin-Requires} excludes it. */
public final class ApiVersion {
    private ApiVersion() {
    }

    /** e.g. {@code "0.1.0"}. */
    public static String get() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("rsock-api.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
