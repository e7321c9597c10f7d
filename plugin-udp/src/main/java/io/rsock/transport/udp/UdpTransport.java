package io.rsock.transport.udp;

import io.rsock.api.CloseReason;
import io.rsock.api.Role;
import io.rsock.api.datagram.DatagramConn;
import io.rsock.api.datagram.DatagramTransport;
import java.nio.ByteBuffer;
import org.pf4j.Extension;

/**
 * Plain UDP ({@code --type udp}): each frame is one ordinary UDP datagram through the kernel's
 * sockets. No privileges, no firewall rules, no raw packets; to the ISP it looks like any UDP flow
 * (a game, a VoIP call, WireGuard), which is exactly what a UDP-throttling ISP punishes, so this is
 * the transport for networks that do not.
 *
 * <p>Everything but the (empty) wire format is {@link DatagramTransport}'s: a server conn per remote
 * endpoint, made by its first datagram and closed with {@link CloseReason#TIMEOUT} after
 * {@code udp.idle} of silence; a connected socket per dial, closed with {@link CloseReason#RESET} on
 * ICMP port unreachable; one I/O thread, {@code rsock-udp}. Options: {@code udp.max-conns},
 * {@code udp.idle}, {@code udp.bind}.
 */
@Extension
public final class UdpTransport extends DatagramTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "udp";

    /** A transport to {@link #start}; pf4j makes it through this constructor. */
    public UdpTransport() {
        super(TYPE);
    }

    /** The datagram is the frame. */
    @Override
    protected ByteBuffer encode(DatagramConn conn, ByteBuffer frame, ByteBuffer out) {
        return frame;
    }

    /** Every datagram is a frame: whether it is the tunnel's is the host's to judge (its MAC). */
    @Override
    protected long decode(Role end, ByteBuffer datagram) {
        return 0;
    }
}
