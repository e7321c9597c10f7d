package io.rsock.packet.link;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * What tcpdump recorded on a Linux veth (10.99.1.2, MAC 02:00:00:00:01:02, default route via
 * 10.99.1.1 at 02:00:00:00:01:01) right after {@code ip neigh flush all}, when a kernel UDP socket
 * on port 40123 sent "rsock next-hop probe" to 10.99.2.7:9, beyond the router: the kernel's ARP
 * request for the router, the router's reply, then the datagram's frame.
 */
final class RecordedFrames {
    static final int LOCAL = 0x0a630102;
    static final int ROUTER = 0x0a630101;
    static final int PEER = 0x0a630207;
    static final long OUR_MAC = 0x0200_0000_0102L;
    static final long ROUTER_MAC = 0x0200_0000_0101L;
    static final String ARP_REQUEST = "ffffffffffff020000000102080600010800060400010200000001020a6301020000000000000a630101";
    static final String ARP_REPLY = "020000000102020000000101080600010800060400020200000001010a6301010200000001020a630102";
    static final String DATAGRAM = "0200000001010200000001020800450000309ffb4000401182f30a6301020a6302079cbb0009001c17fc72736f636b206e"
            + "6578742d686f702070726f6265";

    private RecordedFrames() {
    }

    static ByteBuffer frame(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }
}
