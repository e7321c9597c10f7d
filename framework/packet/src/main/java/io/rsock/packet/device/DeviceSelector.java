package io.rsock.packet.device;

import com.sun.jna.Platform;
import io.rsock.api.TransportException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Optional;

/**
 * Chooses the capture device, in this order: an explicit name ({@code -d}); the device that owns
 * {@code --lcapIp}; the device the kernel routes the peer through (loopback peers: the loopback
 * device); the default-route device (a server with no peer). Each failure says what to pass instead.
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
     * @param localAddress an IPv4 address the device must own ({@code --lcapIp}), or null
     * @param peer the peer packets are exchanged with, or null for any (server)
     */
    public Device select(String name, Inet4Address localAddress, InetAddress peer) throws TransportException {
        if (peer != null && !(peer instanceof Inet4Address)) {
            throw new TransportException("peer " + peer.getHostAddress() + " is not IPv4: raw packet transports are IPv4 only");
        }
        if (name != null && !name.isBlank()) {
            return byName(name, localAddress);
        }
        if (localAddress != null) {
            return device(owner(localAddress), localAddress);
        }
        if (peer != null) {
            return towards((Inet4Address) peer);
        }
        return byDefaultRoute();
    }

    private Device byName(String name, Inet4Address localAddress) throws TransportException {
        NetworkInterface nif = interfaceNamed(name);
        if (localAddress != null) {
            if (!owns(nif, localAddress)) {
                throw new TransportException("device " + name + " does not own " + localAddress.getHostAddress()
                        + "; drop --lcapIp or pass the device that has it");
            }
            return device(nif, localAddress);
        }
        return device(nif, firstIpv4(nif).orElseThrow(() -> new TransportException(
                "device " + name + " has no IPv4 address; pass --lcapIp or another -d")));
    }

    private Device towards(Inet4Address peer) throws TransportException {
        if (peer.isLoopbackAddress()) {
            NetworkInterface lo = loopbackInterface();
            Inet4Address address = owns(lo, peer) ? peer : firstIpv4(lo).orElse(peer);
            return device(lo, address);
        }
        Optional<Inet4Address> source = kernelSourceAddress(peer);
        Optional<String> routed = routes.deviceTowards(toInt(peer));
        if (routed.isPresent()) {
            NetworkInterface nif = interfaceNamed(routed.get());
            Optional<Inet4Address> address = source.filter(a -> owns(nif, a)).or(() -> firstIpv4(nif));
            return device(nif, address.orElseThrow(() -> new TransportException("device " + nif.getName()
                    + " (the route to " + peer.getHostAddress() + ") has no IPv4 address; pass -d or --lcapIp")));
        }
        if (source.isPresent()) {
            return device(owner(source.get()), source.get());
        }
        throw new TransportException("no route to " + peer.getHostAddress() + "; pass -d <device>");
    }

    private Device byDefaultRoute() throws TransportException {
        Optional<String> def = routes.defaultDevice();
        if (def.isPresent()) {
            NetworkInterface nif = interfaceNamed(def.get());
            return device(nif, firstIpv4(nif).orElseThrow(() -> new TransportException("default-route device "
                    + nif.getName() + " has no IPv4 address; pass -d or --lcapIp")));
        }
        // No route table to read (the portable path): ask the kernel which source it would use for the internet.
        Optional<Inet4Address> source = kernelSourceAddress(publicProbeAddress());
        if (source.isPresent()) {
            return device(owner(source.get()), source.get());
        }
        throw new TransportException("no default route to pick a device from; pass -d <device> or --lcapIp <address>");
    }

    /** The source address the kernel picks for {@code peer} (honours policy routing); no packet is sent. */
    static Optional<Inet4Address> kernelSourceAddress(Inet4Address peer) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(peer, DISCARD_PORT));
            InetAddress local = s.getLocalAddress();
            return local instanceof Inet4Address a && !a.isAnyLocalAddress() ? Optional.of(a) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Inet4Address publicProbeAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}); // TEST-NET-1, never contacted
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

    private static NetworkInterface owner(Inet4Address address) throws TransportException {
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

    private static boolean owns(NetworkInterface nif, Inet4Address address) {
        return Collections.list(nif.getInetAddresses()).contains(address);
    }

    private static Optional<Inet4Address> firstIpv4(NetworkInterface nif) {
        return Collections.list(nif.getInetAddresses()).stream()
                .filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).findFirst();
    }

    private static Device device(NetworkInterface nif, Inet4Address address) throws TransportException {
        try {
            boolean loopback = nif.isLoopback();
            // Loopback MTUs are 64 KiB; cap at what one IPv4 packet can hold.
            int mtu = Math.min(nif.getMTU() > 0 ? nif.getMTU() : 1500, 65535);
            return new Device(pcapName(nif, address), address, mtu, loopback);
        } catch (SocketException e) {
            throw new TransportException("cannot read device " + nif.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The name libpcap knows the device by. The same as the interface name on Linux; on Windows
     * (Npcap's {@code \Device\NPF_...}) and others pcap4j maps it from the address.
     */
    private static String pcapName(NetworkInterface nif, Inet4Address address) throws TransportException {
        if (Platform.isLinux()) {
            return nif.getName();
        }
        try {
            io.rsock.packet.capture.PcapLibraryLocator.resolve();
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
