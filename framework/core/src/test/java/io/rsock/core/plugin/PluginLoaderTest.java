package io.rsock.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that must not load: one whose Plugin-Requires excludes this host's rsock-api, and one
 * that declares a range it does not honour and fails to link (here a class of a "newer API" it was
 * compiled against and the host does not have). Each is reported with its reason; neither throws.
 */
class PluginLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void aPluginThatDoesNotLinkIsReportedNotLoadedWithTheReason() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        brokenPlugin(plugins.resolve("broken-1.0.0.jar"), ">=0.1.0");
        try (PluginLoader loader = PluginLoader.load(plugins)) {
            TransportCatalog c = loader.catalog();
            assertEquals(List.of(), c.all().stream().map(LoadedTransport::type).toList());
            assertEquals(1, c.problems().size(), c.problems().toString());
            String p = c.problems().get(0);
            assertTrue(p.startsWith("broken 1.0.0 (broken-1.0.0.jar): built against an rsock-api this host's"), p);
            assertTrue(p.contains("NoClassDefFoundError") && p.contains("rebuild it against rsock-api"), p);
        }
    }

    @Test
    void aPluginRequiringAnotherApiIsNotLoaded() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        brokenPlugin(plugins.resolve("broken-1.0.0.jar"), ">=0.2.0 & <0.3.0");
        try (PluginLoader loader = PluginLoader.load(plugins)) {
            TransportCatalog c = loader.catalog();
            assertEquals(List.of("broken 1.0.0 (broken-1.0.0.jar): requires rsock-api >=0.2.0 & <0.3.0 but this host has "
                    + io.rsock.api.ApiVersion.get()), c.problems());
        }
    }

    /** A transport compiled against a class ({@code Newer}) left out of its jar, as if from a newer rsock-api. */
    private void brokenPlugin(Path jar, String requires) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/test/broken"));
        Files.writeString(src.resolve("Newer.java"), "package test.broken; public class Newer { public static String name() { return \"x\"; } }");
        Files.writeString(src.resolve("BrokenTransport.java"), """
                package test.broken;
                public class BrokenTransport implements io.rsock.api.ConnTransport {
                    public String type() { return Newer.name(); }
                    public void start(io.rsock.api.TransportContext ctx) { }
                    public void listen(int port, io.rsock.api.ConnHandler h) { }
                    public io.rsock.api.Conn dial(java.net.InetSocketAddress s, io.rsock.api.ConnHandler h) { return null; }
                    public int overhead() { return 0; }
                    public void close() { }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-proc:none", "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
                src.resolve("Newer.java").toString(), src.resolve("BrokenTransport.java").toString());
        assertEquals(0, rc, "javac");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", "broken");
        a.putValue("Plugin-Version", "1.0.0");
        a.putValue("Plugin-Requires", requires);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            put(out, "META-INF/extensions.idx", "test.broken.BrokenTransport\n".getBytes(StandardCharsets.UTF_8));
            put(out, "test/broken/BrokenTransport.class", Files.readAllBytes(classes.resolve("test/broken/BrokenTransport.class")));
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(bytes);
        out.closeEntry();
    }
}
