package io.rsock.packet.capture;

import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds libpcap without help from the user. Debian's runtime package {@code libpcap0.8} ships
 * {@code libpcap.so.0.8} and {@code libpcap.so.1...} but not the {@code libpcap.so} symlink (that is
 * in {@code -dev}), so the plain name {@code "pcap"} that JNA and pcap4j look for does not resolve.
 * The first existing candidate becomes both our binding's library and pcap4j's
 * {@code org.pcap4j.core.pcapLibName}, unless the user set that property already.
 */
public final class PcapLibraryLocator {
    /** The system property pcap4j reads its library name from; honoured as an override here too. */
    public static final String PCAP4J_LIB_PROPERTY = "org.pcap4j.core.pcapLibName";

    private static final List<String> FILE_NAMES =
            List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8", "libpcap.so.0.9", "libpcap.so.1.10.4", "libpcap.so.1.10.3");
    private static final List<String> DIRECTORIES =
            List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib");

    private PcapLibraryLocator() {
    }

    /**
     * The library to load: the user's {@value #PCAP4J_LIB_PROPERTY} if set, else the first libpcap
     * file found on Linux, else the platform's usual name. Also sets the property for pcap4j.
     */
    public static synchronized String resolve() {
        String configured = System.getProperty(PCAP4J_LIB_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String found = defaultName();
        if (Platform.isLinux()) {
            Optional<Path> file = firstExisting(candidates());
            if (file.isPresent()) {
                found = file.get().toString();
            }
        }
        System.setProperty(PCAP4J_LIB_PROPERTY, found);
        return found;
    }

    /** Candidate files in search order: multiarch directories first, since that is where Debian puts it. */
    static List<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        for (String root : List.of("/usr/lib", "/lib")) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(root), "*-linux-gnu*")) {
                ds.forEach(dirs::add);
            } catch (IOException | RuntimeException e) {
                // no multiarch tree on this distribution: the plain directories below cover it
            }
        }
        DIRECTORIES.forEach(d -> dirs.add(Path.of(d)));
        List<Path> out = new ArrayList<>();
        for (Path dir : dirs) {
            for (String name : FILE_NAMES) {
                out.add(dir.resolve(name));
            }
        }
        return out;
    }

    static Optional<Path> firstExisting(List<Path> candidates) {
        return candidates.stream().filter(Files::exists).findFirst();
    }

    private static String defaultName() {
        return Platform.isWindows() ? "wpcap" : "pcap";
    }

    /** For error messages: where we looked. */
    static String searchedPlaces() {
        return String.join(File.pathSeparator, DIRECTORIES) + " and /usr/lib/*-linux-gnu*";
    }
}
