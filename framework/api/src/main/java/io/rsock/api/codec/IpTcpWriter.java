package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * Builds a whole IPv4 + TCP or IPv6 + TCP packet in a caller's buffer, in place and without
 * allocation, the family being the source address's: {@link Ipv4TcpWriter}'s three steps for both.
 * An IPv6 packet has no identification and is never fragmented on the way (no DF bit to set); its
 * TCP checksum covers the IPv6 pseudo-header.
 *
 * <pre>{@code
 * int opts = IpTcpWriter.begin(buf, 0, src, dst, idOrFlowLabel, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 0xFFFF, 12);
 * int data = Tcp.writeAlignedTimestamps(buf, opts, tsVal, tsEcr);
 * buf.put(data, payload, payload.position(), payload.remaining());
 * int length = IpTcpWriter.finish(buf, 0, payload.remaining());
 * }</pre>
 */
public final class IpTcpWriter {
    private IpTcpWriter() {
    }

    /** IP (no options) and TCP fixed headers for a packet from {@code source}: 40 or 60 bytes. */
    public static int headers(IpAddress source) {
        return Ip.headerLength(source) + Tcp.MIN_HEADER;
    }

    /**
     * Writes the IP header of {@code source}'s family and the fixed TCP header at {@code off}; the
     * lengths and the checksums are left for {@link #finish}.
     *
     * @param identification the IPv4 identification field; for IPv6 the flow label (low 20 bits)
     * @param optionsLength bytes of TCP options the caller writes next: a multiple of 4, at most 40
     * @return the absolute offset where the options go (the payload follows them)
     */
    public static int begin(ByteBuffer b, int off, IpAddress source, IpAddress destination, int identification, int sourcePort,
            int destinationPort, int seq, int ack, int flags, int window, int optionsLength) {
        int t = Ip.writeHeader(b, off, source, destination, 6, identification);
        return Tcp.writeHeader(b, t, sourcePort, destinationPort, seq, ack, flags, window, optionsLength);
    }

    /**
     * Completes the IPv4 or IPv6 packet at {@code off} whose {@code payloadLength} bytes of payload
     * follow the TCP options: the IP length (and IPv4 header checksum) and the TCP checksum.
     *
     * @return the packet's total length in bytes
     */
    public static int finish(ByteBuffer b, int off, int payloadLength) {
        int t = off + Ip.headerLength(b, off);
        int total = Ip.finish(b, off, Tcp.headerLength(b, t) + payloadLength);
        Tcp.setChecksum(b, t, 0);
        Tcp.setChecksum(b, t, Checksum.transport(b, off));
        return total;
    }
}
