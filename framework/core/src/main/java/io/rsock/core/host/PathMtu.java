package io.rsock.core.host;

import io.rsock.api.TransportContext;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * What the host answers for {@link TransportContext#pathMtu}: the user's {@code --opt mtu} when set,
 * else the MTU of the device the route to the remote leaves by, at most
 * {@value TransportContext#DEFAULT_MTU} (beyond the first hop nothing is known, and 1500 is what the
 * Internet carries; a tunnel device such as WireGuard's 1420 is what this catches). Remembered per
 * remote address, in a bounded table: transports ask once per conn, and a server may hear from many;
 * a new remote costs one route lookup (a connect of a UDP socket), the devices' MTUs are looked up
 * once per local address.
 */
final class PathMtu {
    private static final int REMEMBERED = 1024;
    /** Local address to its device's MTU: a host has few addresses, and their devices rarely change MTU in a run. */
    private static final Map<InetAddress, Integer> DEVICES = new ConcurrentHashMap<>();

    private final int configured;
    private final ToIntFunction<InetAddress> deviceMtu;
    private final Map<InetAddress, Integer> known = new ConcurrentHashMap<>();

    /** @param configured the user's {@code --opt mtu}, or 0 when not set */
    PathMtu(int configured) {
        this(configured, PathMtu::routeDeviceMtu);
    }

    PathMtu(int configured, ToIntFunction<InetAddress> deviceMtu) {
        this.configured = configured;
        this.deviceMtu = deviceMtu;
    }

    int of(InetAddress remote) {
        if (configured > 0) {
            return configured;
        }
        if (remote == null) {
            return TransportContext.DEFAULT_MTU;
        }
        Integer mtu = known.get(remote);
        if (mtu == null) {
            mtu = Math.min(TransportContext.DEFAULT_MTU, deviceMtu.applyAsInt(remote));
            if (known.size() >= REMEMBERED) {
                known.clear();
            }
            known.put(remote, mtu);
        }
        return mtu;
    }

    /**
     * The MTU of the device the kernel routes {@code remote} through: a UDP socket connected to it
     * (which sends nothing, it only has the kernel pick the route and the source address) tells the
     * local address, whose device has the MTU. {@link TransportContext#DEFAULT_MTU} when unknown.
     */
    static int routeDeviceMtu(InetAddress remote) {
        try (DatagramChannel probe = DatagramChannel.open(remote instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
            probe.connect(new InetSocketAddress(remote, 9));
            return DEVICES.computeIfAbsent(((InetSocketAddress) probe.getLocalAddress()).getAddress(), PathMtu::deviceMtu);
        } catch (IOException | RuntimeException e) {
            return TransportContext.DEFAULT_MTU;
        }
    }

    /** The MTU of the device that has {@code local}; enumerating devices is the costly part, so it is done once per address. */
    private static int deviceMtu(InetAddress local) {
        try {
            NetworkInterface device = NetworkInterface.getByInetAddress(local);
            int mtu = device == null ? -1 : device.getMTU();
            return mtu > 0 ? mtu : TransportContext.DEFAULT_MTU;
        } catch (IOException e) {
            return TransportContext.DEFAULT_MTU;
        }
    }
}
