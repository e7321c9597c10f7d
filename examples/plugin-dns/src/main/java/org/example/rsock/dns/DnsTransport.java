package org.example.rsock.dns;

import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.datagram.DatagramConn;
import io.rsock.api.datagram.DatagramTransport;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.pf4j.Extension;

/**
 * DNS ({@code --type dns}, with {@code -p 53} on both sides): the client sends each frame as a DNS
 * query for a TXT record, the frame base32-encoded in the name's labels; the server answers with
 * DNS responses whose TXT record holds the frame, each with the id of that client's latest query.
 * Over the kernel's UDP sockets ({@link DatagramTransport} does the sockets, threads and conns):
 * no raw packets, no firewall rules, and through a network that lets nothing but DNS out.
 *
 * <p>What the ISP sees: a client asking one server lots of TXT questions about names under
 * {@code dns.domain}, and getting answers. That passes a port-53 filter and a NAT; it does not
 * pass a resolver (the server must be reachable directly on 53) nor a DPI box that checks names
 * against real zones.
 *
 * <p>Frames are small upstream (at most 146 bytes in a query with the default domain: a DNS name
 * has 255 bytes) and large downstream (a response's TXT record carries almost a packet). The host
 * splits larger datagrams into fragments by {@code maxFrameSize()}, so any datagram up to a few
 * kilobytes gets through, in more packets.
 *
 * <p>Options: {@code dns.domain} (default {@code t.rsock.example}), and the base's
 * {@code dns.idle}, {@code dns.max-conns}, {@code dns.bind}.
 */
@Extension
public final class DnsTransport extends DatagramTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "dns";
    static final String DEFAULT_DOMAIN = "t.rsock.example";

    private DnsCodec codec = new DnsCodec(DEFAULT_DOMAIN);

    /** pf4j makes the transport through this constructor. */
    public DnsTransport() {
        super(TYPE);
    }

    /** The base declares dns.max-conns, dns.idle and dns.bind; this is what {@link #configure} reads. */
    @Override
    protected Map<String, String> ownOptions() {
        return Map.of("dns.domain", "the domain queries are names under (default " + DEFAULT_DOMAIN + ")");
    }

    /** Left out of {@code --type all}: DNS is a last resort, for networks where nothing else goes out. */
    @Override
    public boolean optIn() {
        return true;
    }

    /** What a response adds to a frame: IPv4, UDP, and the DNS message around the TXT data. */
    @Override
    public int overhead() {
        return IPV4_UDP + codec.responseFixed();
    }

    @Override
    protected void configure(TransportContext ctx) throws TransportException {
        try {
            codec = new DnsCodec(ctx.option("dns.domain").orElse(DEFAULT_DOMAIN));
        } catch (IllegalArgumentException e) {
            throw new TransportException(e.getMessage());
        }
    }

    /** Up: what one query's name holds. Down: what one response of the path's size holds. */
    @Override
    protected int maxFrameSize(Role end, int maxDatagram) {
        return end == Role.CLIENT ? codec.maxQueryFrame() : codec.maxResponseFrame(maxDatagram);
    }

    /** A query with a random id from the client; from the server, a response with the id of the client's latest query. */
    @Override
    protected ByteBuffer encode(DatagramConn conn, ByteBuffer frame, ByteBuffer out) {
        if (conn.end() == Role.CLIENT) {
            codec.encodeQuery(out, ThreadLocalRandom.current().nextInt(0x10000), frame);
        } else {
            codec.encodeResponse(out, (int) conn.tag(), frame);
        }
        return out;
    }

    /** The server reads queries, the client responses; the id becomes the conn's tag. */
    @Override
    protected long decode(Role end, ByteBuffer datagram) {
        return end == Role.SERVER ? codec.decodeQuery(datagram) : codec.decodeResponse(datagram);
    }
}
