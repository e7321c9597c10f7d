package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * Builds a whole IPv4 + TCP packet in a caller's buffer, in place and without allocation: the
 * packet a raw {@code IP_HDRINCL} socket sends as is.
 *
 * <p>Three steps: {@link #begin} writes a 20-byte IPv4 header (version 4, DF set, the given
 * identification, TTL {@value #TTL}, protocol TCP) and the fixed TCP header, and returns where the
 * options go; the caller writes {@code optionsLength} bytes of options (with {@link Tcp}'s
 * {@code write*} methods) and then the payload right after them; {@link #finish} fills the total
 * length and both checksums. {@link #write} does all three for a payload in a buffer.
 *
 * <pre>{@code
 * int opts = Ipv4TcpWriter.begin(buf, 0, src, dst, id, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 0xFFFF, 12);
 * int data = Tcp.writeAlignedTimestamps(buf, opts, tsVal, tsEcr);
 * buf.put(data, payload, payload.position(), payload.remaining());
 * int length = Ipv4TcpWriter.finish(buf, 0, payload.remaining());
 * }</pre>
 */
public final class Ipv4TcpWriter {
    /** The TTL of every packet built, Linux's default. */
    public static final int TTL = 64;
    /** IPv4 (no options) and TCP fixed headers. */
    public static final int HEADERS = Ipv4.MIN_HEADER + Tcp.MIN_HEADER;

    private Ipv4TcpWriter() {
    }

    /**
     * Writes the IPv4 header and the fixed TCP header at {@code off}; the total length and the
     * checksums are left for {@link #finish}.
     *
     * @param source source address, big-endian int
     * @param destination destination address, big-endian int
     * @param identification the IPv4 identification field
     * @param flags TCP flags ({@link Tcp#SYN} ...)
     * @param window the window field, unscaled
     * @param optionsLength bytes of TCP options the caller writes next: a multiple of 4, at most 40
     * @return the absolute offset where the options go (the payload follows them)
     */
    public static int begin(ByteBuffer b, int off, int source, int destination, int identification, int sourcePort,
            int destinationPort, int seq, int ack, int flags, int window, int optionsLength) {
        Ipv4.writeHeader(b, off, source, destination, 6, identification);
        return Tcp.writeHeader(b, off + Ipv4.MIN_HEADER, sourcePort, destinationPort, seq, ack, flags, window, optionsLength);
    }

    /**
     * Completes the packet at {@code off} whose {@code payloadLength} bytes of payload follow the TCP
     * options: sets the IPv4 total length and fills the IPv4 header and TCP checksums.
     *
     * @return the packet's total length in bytes
     */
    public static int finish(ByteBuffer b, int off, int payloadLength) {
        return IpTcpWriter.finish(b, off, payloadLength);
    }

    /**
     * Builds a whole packet with no TCP options at {@code off}, the payload copied from
     * {@code payload}'s position to its limit (whose position is left alone).
     *
     * @return the packet's total length in bytes
     */
    public static int write(ByteBuffer b, int off, int source, int destination, int identification, int sourcePort,
            int destinationPort, int seq, int ack, int flags, int window, ByteBuffer payload) {
        int data = begin(b, off, source, destination, identification, sourcePort, destinationPort, seq, ack, flags, window, 0);
        int n = payload.remaining();
        b.put(data, payload, payload.position(), n);
        return finish(b, off, n);
    }
}
