package io.rsock.packet.inject;

import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.RouteLookup;
import io.rsock.packet.device.RouteTable;
import io.rsock.packet.link.LocalLink;
import io.rsock.packet.lab.Packets;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run in the client namespace by {@code PcapInjectorFollowsNeighbourTest}: sends one packet to
 * {@code DST} with the real neighbour table, one after the table has said for over a second that
 * the gateway moved to a MAC nobody has, and one after it moved back. Only the first and last can
 * arrive, unless the injector keeps addressing frames to a MAC it looked up once.
 *
 * <pre>args: DEVICE GATEWAY DST DST_PORT</pre>
 */
public final class PcapInjectorFollowsNeighbourMain {
    private PcapInjectorFollowsNeighbourMain() {
    }

    public static void main(String[] args) throws Exception {
        String dev = args[0];
        String gateway = args[1];
        String dst = args[2];
        int port = Integer.parseInt(args[3]);
        resolve(dev, gateway);
        Device device = new DeviceSelector(RouteLookup.NONE).select(dev, null, null);
        AtomicReference<NeighbourTable> table = new AtomicReference<>(NeighbourTable.readLinux());
        String src = device.address().getHostAddress();
        KernelNeighbours neighbours = new KernelNeighbours(dev, RouteTable::readLinux, table::get);
        try (PcapL2Injector injector = PcapL2Injector.open(device, LocalLink.of(device).mac(), neighbours)) {
            boolean first = injector.send(Packets.udp(src, 40000, dst, port, "real-1"));
            table.set(NeighbourTable.parse("IP address HW type Flags HW address Mask Device\n"
                    + gateway + " 0x1 0x2 02:00:00:00:00:99 * " + dev + "\n"));
            Thread.sleep(1200);
            boolean bogus = injector.send(Packets.udp(src, 40000, dst, port, "to-a-mac-nobody-has"));
            table.set(NeighbourTable.readLinux());
            Thread.sleep(1200);
            boolean last = injector.send(Packets.udp(src, 40000, dst, port, "real-2"));
            System.out.println("RESULT {\"sent\":[" + first + "," + bogus + "," + last + "]}");
        }
        System.exit(0);
    }

    /** Makes the kernel resolve the gateway (bounded): this injector has no ARP of its own. */
    private static void resolve(String dev, String gateway) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (DatagramSocket s = new DatagramSocket()) {
            while (NeighbourTable.readLinux().lookup(dev, gateway).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the kernel did not resolve " + gateway);
                }
                s.send(new DatagramPacket(new byte[0], 0, InetAddress.getByName(gateway), 9));
                Thread.sleep(50);
            }
        }
    }
}
