package io.rsock.packet.device;

import io.rsock.packet.LinuxOnly;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's IPv4 main routing table as {@code /proc/net/route} shows it, with longest-prefix
 * lookup. Policy routing (other tables, rules) is not visible here; {@link DeviceSelector} also asks
 * the kernel for the source address it would use, which does honour it.
 */
@LinuxOnly
public final class RouteTable implements RouteLookup {
    public static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Reads {@code /proc/net/route}; empty where it does not exist (not Linux). */
    public static Optional<RouteTable> readLinux() {
        if (!Files.isReadable(PROC_NET_ROUTE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(PROC_NET_ROUTE)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses the text of {@code /proc/net/route}. The kernel prints each address as the hex of its
     * in-memory (network order) word read as a host int, so on little-endian hosts the bytes come
     * reversed. Lines that do not parse are skipped, not fatal.
     */
    public static RouteTable parse(String text) {
        List<Route> out = new ArrayList<>();
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if ((flags & RTF_UP) == 0) {
                    continue;
                }
                out.add(new Route(f[0], address(f[1], littleEndian), address(f[7], littleEndian),
                        address(f[2], littleEndian), Integer.parseInt(f[6])));
            } catch (NumberFormatException e) {
                // not a route line: skip it
            }
        }
        return new RouteTable(out);
    }

    private static int address(String hex, boolean littleEndian) {
        int v = (int) Long.parseLong(hex, 16);
        return littleEndian ? Integer.reverseBytes(v) : v;
    }

    /** The route the kernel would pick for {@code address}: longest prefix, then lowest metric. */
    public Optional<Route> lookup(int address) {
        return routes.stream()
                .filter(r -> r.contains(address))
                .max(Comparator.comparingInt(Route::prefixLength).thenComparing(Comparator.comparingInt(Route::metric).reversed()));
    }

    /** The default route with the lowest metric. */
    public Optional<Route> defaultRoute() {
        return routes.stream().filter(Route::isDefault).min(Comparator.comparingInt(Route::metric));
    }

    @Override
    public Optional<String> deviceTowards(int address) {
        return lookup(address).map(Route::device);
    }

    @Override
    public Optional<String> defaultDevice() {
        return defaultRoute().map(Route::device);
    }

    public List<Route> routes() {
        return routes;
    }
}
