package io.rsock.it;

import io.rsock.netlab.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The plugin SDK as a third party has it: {@code sdk/} of an unpacked installation, Maven, and a
 * home of their own whose local repository starts empty. Commands run offline in bash with
 * {@code RSOCK} set to the installation, {@code HOME} (and Maven's {@code user.home}, which Java
 * takes from the password file, not from {@code HOME}) set to that home: nothing of the build
 * machine's own local repository is in reach.
 */
final class Sdk {
    private static final long TIMEOUT_MINUTES = 10;

    private Sdk() {
    }

    /** A new, empty home under {@code dir}. */
    static Path freshHome(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    /** Fails, saying why, when {@code installation} was built without its SDK ({@code -DskipSdk}). */
    static void requireSdk(Path installation) {
        if (!Files.isDirectory(installation.resolve("sdk/repository"))) {
            throw new IllegalStateException("no " + installation.resolve("sdk/repository")
                    + ": the tarball was built with -DskipSdk; build it without to run the SDK's end-to-end tests");
        }
    }

    /** A test resource's text, e.g. {@code guide/sdk.sh} (the guide shows these files verbatim, GuideTest checks). */
    static String resource(String name) {
        try (InputStream in = Sdk.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code script} with {@code bash -e} in {@code dir}, as the third party of {@code home} would, bounded. */
    static Shell.Result bash(String script, Path dir, Path home, Path installation) throws IOException, InterruptedException {
        Path mavenBin = Paths.get(System.getProperty("maven.home", "/usr/share/maven"), "bin");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-e", "-c", script)).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("MAVEN_OPTS", "-Duser.home=" + home);
        env.put("RSOCK", installation.toAbsolutePath().toString());
        env.put("PATH", mavenBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.remove("MAVEN_ARGS");
        Path log = Files.createTempFile(dir, "bash-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("still running after " + TIMEOUT_MINUTES + " min:\n" + script + "\n" + Files.readString(log));
        }
        // Maven colours its output even into a file: the escapes go, the text stays.
        return new Shell.Result(p.exitValue(), Files.readString(log).replaceAll("\u001B\\[[;\\d]*m", ""));
    }
}
