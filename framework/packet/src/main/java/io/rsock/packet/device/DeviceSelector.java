package io.rsock.packet.device;

import com.sun.jna.Platform;
import io.rsock.api.TransportException;
import io.rsock.packet.capture.PcapLibraryLocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the capture device, in this order: an explicit name ({@code -d}); the device that owns
 * {@code --lcapIp} (IPv4 or IPv6); the device the kernel routes the peer through (loopback peers:
 * the loopback device); the default-route device (a server with no peer). The device carries both
 * families: its IPv4 address and its IPv6 addresses beyond link-local are all kept. Each failure
 * says what to pass instead.
 */
public final class DeviceSelector {
    private static final int DISCARD_PORT = 9;

    private final RouteLookup routes;

    /** With the routes to consult: {@link RouteLookup#NONE} where there are none to read (the portable path). */
    public DeviceSelector(RouteLookup routes) {
        this.routes = routes;
    }

    /**
     * @param name explicit device name, or null
     * @param localAddress an address the device must own ({@code --lcapIp}), IPv4 or IPv6, or null
     * @param peer the peer packets are exchanged with, or null for any (server)
     */
    public Device select(String name, InetAddress localAddress, InetAddress peer) throws TransportException {
        if (name != null && !name.isBlank()) {
            return byName(name, localAddress);
        }
        if (localAddress != null) {
            return device(owner(localAddress), localAddress);
        }
        if (peer != null) {
            return towards(peer);
        }
        return byDefaultRoute();
    }

    private Device byName(String name, InetAddress localAddress) throws TransportException {
        NetworkInterface nif = interfaceNamed(name);
        if (localAddress != null && !owns(nif, localAddress)) {
            throw new TransportException("device " + name + " does not own " + localAddress.getHostAddress()
                    + "; drop --lcapIp or pass the device that has it");
        }
        return device(nif, localAddress);
    }

    private Device towards(InetAddress peer) throws TransportException {
        if (peer.isLoopbackAddress()) {
            NetworkInterface lo = loopbackInterface();
            return device(lo, owns(lo, peer) ? peer : null);
        }
        Optional<InetAddress> source = kernelSourceAddress(peer);
        Optional<String> routed = peer instanceof Inet4Address v4 ? routes.deviceTowards(toInt(v4)) : Optional.empty();
        if (routed.isPresent()) {
            NetworkInterface nif = interfaceNamed(routed.get());
            Device d = device(nif, source.filter(a -> owns(nif, a)).orElse(null));
            if (d.address() == null) {
                throw new TransportException("device " + nif.getName() + " (the route to " + peer.getHostAddress()
                        + ") has no IPv4 address; pass -d or --lcapIp");
            }
            return d;
        }
        if (source.isPresent()) {
            return device(owner(source.get()), source.get());
        }
        throw new TransportException("no route to " + peer.getHostAddress() + "; pass -d <device>");
    }

    private Device byDefaultRoute() throws TransportException {
        Optional<String> def = routes.defaultDevice();
        if (def.isPresent()) {
            return device(interfaceNamed(def.get()), null);
        }
        // No IPv4 route table to read (the portable path, an IPv6-only host): ask the kernel which
        // source it would use for the internet, IPv4 first.
        for (InetAddress probe : publicProbeAddresses()) {
            Optional<InetAddress> source = kernelSourceAddress(probe);
            if (source.isPresent()) {
                return device(owner(source.get()), source.get());
            }
        }
        throw new TransportException("no default route to pick a device from; pass -d <device> or --lcapIp <address>");
    }

    /** The source address the kernel picks for {@code peer} (honours policy routing); no packet is sent. */
    static Optional<InetAddress> kernelSourceAddress(InetAddress peer) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(peer, DISCARD_PORT));
            InetAddress local = s.getLocalAddress();
            boolean sameFamily = local instanceof Inet4Address == peer instanceof Inet4Address;
            return local != null && sameFamily && !local.isAnyLocalAddress() ? Optional.of(local) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The device's address the kernel would send from to {@code peer}, when it is one of
     * {@code device}'s; else the device's first of the peer's family; null when it has none.
     */
    public static InetAddress sourceFor(Device device, InetAddress peer) {
        if (peer instanceof Inet4Address) {
            return device.address();
        }
        Optional<InetAddress> kernel = kernelSourceAddress(peer);
        if (kernel.isPresent() && device.owns(kernel.get())) {
            return kernel.get();
        }
        return device.addresses6().isEmpty() ? null : device.addresses6().get(0);
    }

    /** TEST-NET-1 and the IPv6 documentation prefix: routed by the default routes, never contacted. */
    private static List<InetAddress> publicProbeAddresses() {
        try {
            return List.of(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}),
                    InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NetworkInterface interfaceNamed(String name) throws TransportException {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                throw new TransportException("no device named " + name + " ('ip link' lists them)");
            }
            if (!nif.isUp()) {
                throw new TransportException("device " + name + " is down ('ip link set " + name + " up')");
            }
            return nif;
        } catch (SocketException e) {
            throw new TransportException("cannot read device " + name + ": " + e.getMessage(), e);
        }
    }

    private static NetworkInterface owner(InetAddress address) throws TransportException {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (nif == null) {
                throw new TransportException("no device owns " + address.getHostAddress() + "; pass -d");
            }
            return nif;
        } catch (SocketException e) {
            throw new TransportException("cannot list devices: " + e.getMessage(), e);
        }
    }

    private static NetworkInterface loopbackInterface() throws TransportException {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isLoopback() && nif.isUp()) {
                    return nif;
                }
            }
        } catch (SocketException e) {
            throw new TransportException("cannot list devices: " + e.getMessage(), e);
        }
        throw new TransportException("no loopback device is up ('ip link set lo up')");
    }

    private static boolean owns(NetworkInterface nif, InetAddress address) {
        return Collections.list(nif.getInetAddresses()).contains(address);
    }

    /**
     * The device {@code nif}, with {@code preferred} (an address it owns, or null) as its IPv4
     * address or its first IPv6 one.
     */
    private static Device device(NetworkInterface nif, InetAddress preferred) throws TransportException {
        Inet4Address v4 = preferred instanceof Inet4Address a ? a : null;
        List<Inet6Address> v6 = new ArrayList<>();
        if (preferred instanceof Inet6Address a) {
            v6.add(a);
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address four && v4 == null) {
                v4 = four;
            } else if (a instanceof Inet6Address six && !six.isLinkLocalAddress() && !v6.contains(six)) {
                v6.add(withoutScope(six)); // the interface's own listing carries its scope: not a global address's business
            }
        }
        if (v4 == null && v6.isEmpty()) {
            throw new TransportException("device " + nif.getName() + " has no IP address beyond link-local; pass --lcapIp or another -d");
        }
        try {
            boolean loopback = nif.isLoopback();
            // Loopback MTUs are 64 KiB; cap at what one IP packet can hold.
            int mtu = Math.min(nif.getMTU() > 0 ? nif.getMTU() : 1500, 65535);
            return new Device(pcapName(nif, v4 != null ? v4 : v6.get(0)), v4, v6, mtu, loopback);
        } catch (SocketException e) {
            throw new TransportException("cannot read device " + nif.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Inet6Address withoutScope(Inet6Address a) {
        try {
            return (Inet6Address) InetAddress.getByAddress(a.getAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }

    /**
     * The name libpcap knows the device by. The same as the interface name on Linux; on Windows
     * (Npcap's {@code \Device\NPF_...}) and others pcap4j maps it from the address.
     */
    private static String pcapName(NetworkInterface nif, InetAddress address) throws TransportException {
        if (Platform.isLinux()) {
            return nif.getName();
        }
        try {
            PcapLibraryLocator.resolve();
            org.pcap4j.core.PcapNetworkInterface dev = org.pcap4j.core.Pcaps.getDevByAddress(address);
            return dev != null ? dev.getName() : nif.getName();
        } catch (org.pcap4j.core.PcapNativeException | RuntimeException | LinkageError e) {
            throw new TransportException("cannot map " + nif.getName() + " to a capture device: " + e.getMessage(), e);
        }
    }

    static int toInt(Inet4Address a) {
        return ByteBuffer.wrap(a.getAddress()).getInt();
    }
}
