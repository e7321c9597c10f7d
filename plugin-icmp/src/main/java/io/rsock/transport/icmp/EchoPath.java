package io.rsock.transport.icmp;

import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.PacketIO;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The two ends of one conn's echoes and what fits between them: the addresses (both IPv4 or both
 * IPv6: ICMP or ICMPv6 echo), the IP identification of each packet (IPv4: a new one each; IPv6: a
 * flow label fixed for the conn), and the largest frame, under the path MTU a router reported. A
 * conn builds its packets through it under its own lock.
 */
final class EchoPath {
    final IpAddress local;
    final IpAddress remote;
    private final InetAddress remoteAddress;
    private final int deviceMtu;
    private int ipId; // guarded by the conn
    private volatile int maxFrame;

    EchoPath(IpAddress local, IpAddress remote, int ipId, int deviceMtu) {
        this.local = local;
        this.remote = remote;
        this.remoteAddress = remote.toInetAddress();
        this.ipId = ipId;
        this.deviceMtu = deviceMtu;
        this.maxFrame = deviceMtu - Icmp.echoHeaders(local);
    }

    /** Largest frame one echo carries now. */
    int maxFrame() {
        return maxFrame;
    }

    /** Takes the path MTU the packet layer knows now (a timer's job, not the packet path's). */
    void follow(PacketIO io) {
        maxFrame = Math.min(deviceMtu, io.pathMtu(remoteAddress)) - Icmp.echoHeaders(local);
    }

    /** A whole echo request (or reply) carrying {@code frame} at offset 0 of {@code out}; its length. */
    int write(ByteBuffer out, boolean request, int identifier, int sequence, ByteBuffer frame) {
        return Icmp.writeEcho(out, 0, local, remote, nextId(), request, identifier, sequence, frame);
    }

    /** The headers of an echo whose data the caller writes at the returned offset, then {@link Icmp#finishEcho}. */
    int begin(ByteBuffer out, boolean request, int identifier, int sequence) {
        return Icmp.beginEcho(out, 0, local, remote, nextId(), request, identifier, sequence);
    }

    private int nextId() {
        return local.isV6() ? ipId : ipId++;
    }
}
