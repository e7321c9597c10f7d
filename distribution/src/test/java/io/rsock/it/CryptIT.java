package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Side;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --crypt} end to end through the strict profile: the probe's datagrams arrive intact, and a
 * capture on the server's wire never shows the probe's marker in clear; a client whose {@code --crypt}
 * differs from the server's is told the server does not answer.
 */
class CryptIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes-gcm", "chacha20-poly1305"})
    void encryptedTunnelCarriesTheProbeWithNothingInClear(String crypt) throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "crypt-" + crypt)) {
            lab.server("tcp", "--crypt", crypt);
            try (RsockLab.Client client = lab.client("tcp", "--crypt", crypt).awaitServer().warmUp(lab)) {
                Path pcap = lab.work.resolve("wire.pcap");
                LabProcess dump = lab.net.start(Side.SERVER, "tcpdump-wire", List.of("tcpdump", "-i", "s0", "-n", "-U", "-s", "200",
                        "-w", pcap.toString(), "tcp"));
                Thread.sleep(1500);
                // 2 000/s: a check of correctness, not a benchmark. With tcpdump on the wire the lab's 2 shared
                // cores saturate first with chacha20-poly1305 (JDK 17 has no ChaCha20 intrinsic and the receiver
                // runs it twice, see AeadSeal): measured 70 % at 10 000/s, 96-100 % at 5 000/s on a loaded machine.
                ProbeResult r = lab.probeTunnel(10_000, 1200, 2000, 1);
                Thread.sleep(500);
                dump.stop(5000);
                int clear = 0;
                int packets = 0;
                for (ByteBuffer p : PcapFile.ipv4Packets(pcap)) {
                    packets++;
                    if (new String(p.array(), p.arrayOffset(), p.limit(), StandardCharsets.ISO_8859_1).contains("rsPB")) {
                        clear++;
                    }
                }
                System.out.println("strict, --crypt " + crypt + ", 10 000 x 1200 B at 2 000/s, rsock tcp: " + r + "; " + packets
                        + " segments captured, " + clear + " with the probe's marker in clear");
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, r::toString);
                assertTrue(packets > 1000, "captured " + packets);
                assertEquals(0, clear, "probe datagrams crossed the wire in clear");
            }
        }
    }

    @Test
    void aMismatchedCryptGetsTheServerDoesNotAnswerLine() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "crypt-mismatch")) {
            lab.server("tcp", "--crypt", "aes-gcm");
            try (RsockLab.Client client = lab.client("tcp", "--crypt", "none")) {
                long deadline = System.currentTimeMillis() + 20_000;
                while (!client.process().output().contains("server does not answer") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(250);
                }
                String line = client.process().output().lines().filter(l -> l.contains("server does not answer")).findFirst().orElse("");
                System.out.println("--crypt none against aes-gcm: " + line.strip());
                assertTrue(!line.isEmpty(), client.process()::output);
            }
        }
    }
}
