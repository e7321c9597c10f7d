package io.rsock.bench;

import io.rsock.api.codec.Checksum;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Building an IPv4+TCP packet (headers and both checksums) and checking a received one. */
@State(Scope.Thread)
public class TcpBench extends HotPathBench {
    /** Tunnel frame size carried in the segment (app payload + 32 B frame overhead). */
    @Param({"96", "544", "1232"})
    public int size;

    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer payload;
    private ByteBuffer packet;
    private int seq;

    @Setup
    public void setUp() {
        payload = ByteBuffer.allocate(size);
        packet = "direct".equals(buffer) ? ByteBuffer.allocateDirect(1500) : ByteBuffer.allocate(1500);
        Ipv4TcpWriter.write(packet, 0, 0x0AC90102, 0x0AC90202, 1, 40000, 10001, 1, 1, Tcp.ACK | Tcp.PSH, 502, payload);
    }

    @Benchmark
    public int build() {
        return Ipv4TcpWriter.write(packet, 0, 0x0AC90102, 0x0AC90202, ++seq, 40000, 10001, seq, 77, Tcp.ACK | Tcp.PSH, 502,
                payload);
    }

    @Benchmark
    public boolean verify() {
        return Checksum.verifyIpv4Header(packet, 0) && Checksum.verifyTransportIpv4(packet, 0);
    }
}
