package io.rsock.transport.faketcp;

import static io.rsock.transport.faketcp.Wire.CLIENT;
import static io.rsock.transport.faketcp.Wire.CPORT;
import static io.rsock.transport.faketcp.Wire.MTU;
import static io.rsock.transport.faketcp.Wire.SERVER;
import static io.rsock.transport.faketcp.Wire.SPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * No amplification at the handshake: a SYN from a spoofed source gets one SYN-ACK, never a byte
 * larger than the SYN, whatever options the SYN carried (every subset of MSS, SACK-permitted,
 * timestamps and window scale, each in its tightest encoding, so that the SYN is as small as it can
 * be for what it offers).
 */
class SynAckSizeTest {
    @Test
    void theSynAckIsNeverLargerThanTheSynForAnySubsetOfOptions() {
        for (int mask = 0; mask < 16; mask++) {
            ByteBuffer syn = tightSyn((mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, (mask & 8) != 0);
            TcpEndpoint server = TcpEndpoint.accept(FakeTcpOptions.defaults(), MTU, syn, 0, 1, 2, 3, 1000);
            ByteBuffer out = ByteBuffer.allocate(MTU);
            int synAck = server.writeSynAck(out, 1000);
            int synLen = Ipv4.totalLength(syn, 0);
            final int m = mask;
            assertTrue(synAck <= synLen, () -> "options mask " + m + ": SYN " + synLen + " B, SYN-ACK " + synAck + " B");
            assertEquals(Tcp.SYN | Tcp.ACK, Tcp.flags(out, Ipv4.MIN_HEADER) & 0x3F);
        }
    }

    @Test
    void aLinuxSynGetsALinuxSizedSynAck() {
        ByteBuffer out = ByteBuffer.allocate(MTU);
        TcpEndpoint client = TcpEndpoint.connect(FakeTcpOptions.defaults(), MTU, CLIENT, CPORT, SERVER, SPORT, 1, 2, 3, 1000);
        int synLen = client.writeSyn(out, 1000);
        ByteBuffer syn = ByteBuffer.allocate(synLen);
        syn.put(0, out, 0, synLen);
        TcpEndpoint server = TcpEndpoint.accept(FakeTcpOptions.defaults(), MTU, syn, 0, 1, 2, 3, 1000);
        assertEquals(synLen, server.writeSynAck(ByteBuffer.allocate(MTU), 1000), "Linux: 60-byte SYN, 60-byte SYN-ACK");
    }

    /** A SYN from CLIENT to SERVER with the chosen options, each in the fewest bytes, padded to 4. */
    private static ByteBuffer tightSyn(boolean mss, boolean sack, boolean ts, boolean ws) {
        int raw = (mss ? 4 : 0) + (sack ? 2 : 0) + (ts ? 10 : 0) + (ws ? 3 : 0);
        int optLen = (raw + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(Ipv4TcpWriter.HEADERS + 40);
        int o = Ipv4TcpWriter.begin(b, 0, CLIENT.v4(), SERVER.v4(), 1, CPORT, SPORT, 100, 0, Tcp.SYN, 64240, optLen);
        int end = o + optLen;
        if (mss) {
            o = Tcp.writeMss(b, o, 1460);
        }
        if (sack) {
            o = Tcp.writeSackPermitted(b, o);
        }
        if (ts) {
            o = Tcp.writeTimestamps(b, o, 5, 0);
        }
        if (ws) {
            o = Tcp.writeWindowScale(b, o, 7);
        }
        while (o < end) {
            o = Tcp.writeEol(b, o);
        }
        int total = Ipv4TcpWriter.finish(b, 0, 0);
        return b.limit(total);
    }
}
