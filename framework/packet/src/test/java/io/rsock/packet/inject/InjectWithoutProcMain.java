package io.rsock.packet.inject;

import io.rsock.packet.PacketLayer;
import io.rsock.packet.PacketLayerOptions;
import io.rsock.packet.PacketPath;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.RouteLookup;
import io.rsock.packet.lab.Packets;
import io.rsock.packet.link.LocalLink;
import java.util.Optional;

/**
 * Run in the client namespace by {@code PortableInjectionTest}, right after {@code ip neigh flush
 * all}: sends COUNT UDP datagrams to DST:PORT through pcap L2 injection, one every 10 ms, never
 * retrying, and prints how many went.
 *
 * <ul>
 *   <li>{@code no-proc}: next hops as the pcap injector found them before the portable path, where
 *       there is no {@code /proc} (macOS, Windows): no route table, an empty neighbour table;
 *   <li>{@code portable}: the portable packet layer, next hop probed at open.
 * </ul>
 *
 * <pre>args: DEVICE DST PORT COUNT no-proc|portable</pre>
 */
public final class InjectWithoutProcMain {
    private InjectWithoutProcMain() {
    }

    public static void main(String[] args) throws Exception {
        String dev = args[0];
        String dst = args[1];
        int port = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int sent = 0;
        if (args[4].equals("no-proc")) {
            Device device = new DeviceSelector(RouteLookup.NONE).select(dev, null, null);
            KernelNeighbours nothingToRead = new KernelNeighbours(dev, Optional::empty, () -> NeighbourTable.parse(""));
            try (PcapL2Injector injector = PcapL2Injector.open(device, LocalLink.of(device).mac(), nothingToRead)) {
                String src = device.address().getHostAddress();
                for (int i = 0; i < count; i++) {
                    sent += injector.send(Packets.udp(src, 40000, dst, port, "no-proc-" + i)) ? 1 : 0;
                    Thread.sleep(10);
                }
            }
        } else {
            PacketLayerOptions o = PacketLayerOptions.defaults().withDevice(dev).withPath(PacketPath.PORTABLE).withPeerHint(Packets.inet(dst));
            try (PacketLayer layer = PacketLayer.open(o)) {
                String src = layer.localAddress().getHostAddress();
                for (int i = 0; i < count; i++) {
                    sent += layer.send(Packets.udp(src, 40000, dst, port, "portable-" + i)) ? 1 : 0;
                    Thread.sleep(10);
                }
            }
        }
        System.out.println("RESULT {\"sent\":" + sent + "}");
        System.exit(0);
    }
}
