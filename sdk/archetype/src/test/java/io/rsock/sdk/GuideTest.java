package io.rsock.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.ConnTransport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * docs/writing-a-plugin.md is true: every code block in it says, in an HTML comment just above it,
 * how it is checked, and is.
 *
 * <ul>
 *   <li>{@code <!-- snippet: PATH -->}: the block is the file at PATH (from the repository's root).</li>
 *   <li>{@code <!-- snippet: PATH (archetype) -->}: the block is the archetype's template at PATH,
 *       filled with the values the guide's own commands give ({@code guide/sdk.sh}'s {@code -D}s,
 *       the archetype's defaults for the rest).</li>
 *   <li>{@code <!-- spi -->}: the block is compiled (a {@code { ... }} body read as one that
 *       throws) and each type in it compared with the real rsock-api type of its name: kind,
 *       supertypes, every public or protected method, constructor and constant, enum values,
 *       record components. Every public type of the SPI's packages must be in it.</li>
 * </ul>
 *
 * <p>The files of the first kind are run by the end-to-end tests (SdkIT), and the archetype's
 * output is built, its TCK run, whenever the tarball is made.
 */
class GuideTest {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*(snippet:\\s*(\\S+)(\\s+\\(archetype\\))?|spi)\\s*-->");
    private static final List<String> SPI_PACKAGES = List.of("io.rsock.api", "io.rsock.api.io", "io.rsock.api.packet",
            "io.rsock.api.datagram");
    /** Public types of those packages that are helpers a plugin may use, not the contract it implements. */
    private static final Set<String> HELPERS = Set.of("OptionValues", "ApiVersion");
    private static final String SPI_PREAMBLE = """
            package guide;
            import java.io.IOException;
            import java.net.Inet4Address;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.net.SocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.DatagramChannel;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.ScheduledExecutorService;
            import org.pf4j.ExtensionPoint;
            """;

    private final Path root = repositoryRoot();
    private final List<Block> blocks = blocks(read(root.resolve("docs/writing-a-plugin.md")));

    /** One fenced code block: the marker above it (null if none), its info string, its text, its line. */
    record Block(String marker, String info, String text, int line) {
    }

    @Test
    void everyCodeBlockSaysHowItIsChecked() {
        assertTrue(blocks.size() >= 7, "the guide's code blocks: " + blocks.size());
        for (Block b : blocks) {
            assertNotNull(b.marker(), "the code block at line " + b.line() + " has no <!-- snippet: ... --> or <!-- spi --> above it");
            assertTrue(MARKER.matcher(b.marker()).matches(), "line " + b.line() + ": unknown marker " + b.marker());
        }
    }

    @Test
    void snippetsAreTheFilesTheyShow() throws IOException {
        Map<String, String> values = archetypeValues();
        int checked = 0;
        for (Block b : blocks) {
            Matcher m = MARKER.matcher(b.marker() == null ? "" : b.marker());
            if (!m.matches() || m.group(2) == null) {
                continue;
            }
            String file = read(root.resolve(m.group(2)));
            String expected = m.group(3) == null ? file : fill(file, values);
            assertEquals(expected.stripTrailing(), b.text().stripTrailing(), "the block at line " + b.line() + " shows " + m.group(2));
            checked++;
        }
        assertTrue(checked >= 6, "snippets checked: " + checked);
    }

    @Test
    void theSpiListingCompilesAndIsTheApi() throws Exception {
        List<Block> spi = blocks.stream().filter(b -> b.marker() != null && b.marker().contains("spi")).toList();
        assertEquals(1, spi.size(), "one SPI listing");
        Path dir = Files.createTempDirectory("guide-spi");
        Path source = dir.resolve("Spi.java");
        String listing = spi.get(0).text().replace("{ ... }", "{ throw new UnsupportedOperationException(); }")
                .replaceAll("(?m)^public (interface|enum|record|final class|abstract class|class) ", "$1 ");
        Files.writeString(source, SPI_PREAMBLE + listing);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.resolve("classes").toString(), "-cp", System.getProperty("java.class.path"),
                "--release", "17", "-proc:none", source.toString());
        assertEquals(0, rc, "the SPI listing compiles (javac's message above)");
        List<String> listed = Pattern.compile("(?m)^(?:interface|enum|record|final class|abstract class|class) (\\w+)")
                .matcher(listing).results().map(r -> r.group(1)).toList();
        List<String> differences = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()},
                getClass().getClassLoader())) {
            for (String name : listed) {
                Class<?> real = realType(name);
                if (real == null) {
                    differences.add(name + ": no such type in " + SPI_PACKAGES);
                    continue;
                }
                Set<String> shown = api(loader.loadClass("guide." + name));
                Set<String> actual = api(real);
                for (String s : actual) {
                    if (!shown.contains(s)) {
                        differences.add(name + ": the guide lacks  " + s);
                    }
                }
                for (String s : shown) {
                    if (!actual.contains(s)) {
                        differences.add(name + ": the guide has, the API has not  " + s);
                    }
                }
            }
        }
        for (String type : spiTypes()) {
            if (!listed.contains(type)) {
                differences.add(type + ": a public type of the SPI the guide does not list");
            }
        }
        assertEquals(List.of(), differences);
    }

    // ---------------------------------------------------------------------------------------------

    private static List<Block> blocks(String markdown) {
        List<Block> out = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String info = lines.get(i).substring(3).trim();
            String marker = null;
            for (int j = i - 1; j >= 0; j--) {
                if (!lines.get(j).isBlank()) {
                    marker = lines.get(j).trim().startsWith("<!--") ? lines.get(j).trim() : null;
                    break;
                }
            }
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            out.add(new Block(marker, info, String.join("\n", lines.subList(start, end)) + "\n", i + 1));
            i = end;
        }
        return out;
    }

    /** What the archetype fills its templates with in the guide: sdk.sh's -D values over the archetype's defaults. */
    private Map<String, String> archetypeValues() throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("version", "1.0-SNAPSHOT"); // archetype:generate's default
        String metadata;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/maven/archetype-metadata.xml")) {
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Pattern.compile("<requiredProperty key=\"(\\w+)\"><defaultValue>([^<]*)</defaultValue>").matcher(metadata).results()
                .forEach(r -> values.put(r.group(1), r.group(2)));
        Pattern.compile("-D(\\w+)=(\\S+)").matcher(read(root.resolve("distribution/src/test/resources/guide/sdk.sh"))).results()
                .forEach(r -> values.put(r.group(1), r.group(2)));
        return values;
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        return m.appendTail(sb).toString();
    }

    private static Class<?> realType(String simpleName) {
        for (String pkg : SPI_PACKAGES) {
            try {
                return Class.forName(pkg + "." + simpleName);
            } catch (ClassNotFoundException e) {
                // the next package
            }
        }
        return null;
    }

    /** The public top-level types of the SPI's packages, helpers left out, from rsock-api's classes. */
    private static Set<String> spiTypes() throws Exception {
        Path classes = Paths.get(ConnTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> out = new TreeSet<>();
        for (String pkg : SPI_PACKAGES) {
            List<String> names;
            if (Files.isDirectory(classes)) {
                try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                    names = files.map(p -> p.getFileName().toString()).toList();
                }
            } else {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(classes.toFile())) {
                    String dir = pkg.replace('.', '/') + "/";
                    names = jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(dir) && n.indexOf('/', dir.length()) < 0)
                            .map(n -> n.substring(dir.length())).toList();
                }
            }
            for (String file : names) {
                if (file.endsWith(".class") && !file.contains("$")) {
                    Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - ".class".length()));
                    if (Modifier.isPublic(c.getModifiers()) && !HELPERS.contains(c.getSimpleName())) {
                        out.add(c.getSimpleName());
                    }
                }
            }
        }
        return out;
    }

    /** What a plugin sees of {@code c}, as comparable lines. */
    private static Set<String> api(Class<?> c) {
        Set<String> out = new TreeSet<>();
        out.add("kind " + kind(c));
        if (c.getSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()) {
            out.add("extends " + c.getSuperclass().getSimpleName());
        }
        for (Class<?> i : c.getInterfaces()) {
            out.add("implements " + i.getSimpleName());
        }
        if (c.isEnum()) {
            out.add("values " + Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")));
        }
        if (c.isRecord()) {
            out.add("components " + Arrays.stream(c.getRecordComponents())
                    .map(r -> r.getType().getSimpleName() + " " + r.getName()).collect(Collectors.joining(", ")));
        }
        Set<String> accessors = c.isRecord()
                ? Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet()) : Set.of();
        for (Method m : c.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isBridge() || !visible(m.getModifiers()) || accessors.contains(m.getName())
                    || Set.of("equals", "hashCode", "toString").contains(m.getName())
                    || (c.isEnum() && Set.of("values", "valueOf").contains(m.getName()))) {
                continue;
            }
            out.add(modifiers(c, m.getModifiers(), m.isDefault()) + m.getReturnType().getSimpleName() + " " + m.getName()
                    + params(m.getParameterTypes()) + throwsClause(m.getExceptionTypes()));
        }
        if (!c.isRecord() && !c.isEnum() && !Modifier.isFinal(c.getModifiers())) {
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    out.add(modifiers(c, k.getModifiers(), false) + "<init>" + params(k.getParameterTypes())
                            + throwsClause(k.getExceptionTypes()));
                }
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isEnumConstant() && !f.isSynthetic()) {
                out.add(modifiers(c, f.getModifiers(), false) + f.getType().getSimpleName() + " " + f.getName());
            }
        }
        return out;
    }

    private static String kind(Class<?> c) {
        if (c.isInterface()) {
            return "interface";
        }
        if (c.isEnum()) {
            return "enum";
        }
        if (c.isRecord()) {
            return "record";
        }
        return (Modifier.isAbstract(c.getModifiers()) ? "abstract " : Modifier.isFinal(c.getModifiers()) ? "final " : "") + "class";
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String modifiers(Class<?> owner, int m, boolean isDefault) {
        StringBuilder sb = new StringBuilder(Modifier.isProtected(m) ? "protected " : "");
        if (Modifier.isStatic(m)) {
            sb.append("static ");
        }
        if (isDefault) {
            sb.append("default ");
        }
        if (!owner.isInterface() && Modifier.isAbstract(m)) {
            sb.append("abstract ");
        }
        if (Modifier.isFinal(m) && !Modifier.isFinal(owner.getModifiers())) {
            sb.append("final ");
        }
        return sb.toString();
    }

    private static String params(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String throwsClause(Class<?>[] types) {
        return types.length == 0 ? "" : Arrays.stream(types).map(Class::getSimpleName).sorted().collect(Collectors.joining(", ", " throws ", ""));
    }

    private static Path repositoryRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/writing-a-plugin.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/writing-a-plugin.md above " + Paths.get("").toAbsolutePath());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
