package io.rsock.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The IPv4 packets of a tcpdump {@code -w} file (Ethernet or raw IP link type), for counting what a test's host sent. */
final class PcapFile {
    private PcapFile() {
    }

    /** A captured packet: when (microseconds since the epoch) and its IPv4 bytes (at most the snap length). */
    record Captured(long micros, ByteBuffer ip) {
    }

    /** Each packet's IPv4 bytes (as captured, at most the snap length). Empty when the file is missing or empty. */
    static List<ByteBuffer> ipv4Packets(Path file) throws IOException {
        return captured(file).stream().map(Captured::ip).toList();
    }

    /** Each packet with its capture time. Empty when the file is missing or empty. */
    static List<Captured> captured(Path file) throws IOException {
        List<Captured> out = new ArrayList<>();
        if (!Files.exists(file) || Files.size(file) < 24) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.getInt(0);
        b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        int linkType = b.getInt(20);
        int l2 = linkType == 1 ? 14 : linkType == 113 ? 16 : 0; // Ethernet, Linux cooked, raw
        int at = 24;
        while (at + 16 <= b.limit()) {
            long micros = (b.getInt(at) & 0xFFFF_FFFFL) * 1_000_000L + (b.getInt(at + 4) & 0xFFFF_FFFFL) / (nanos ? 1000 : 1);
            int incl = b.getInt(at + 8);
            int start = at + 16;
            if (incl < 0 || start + incl > b.limit()) {
                break; // the last record cut short by the writer's stop
            }
            if (incl > l2) {
                out.add(new Captured(micros, ByteBuffer.wrap(b.array(), start + l2, incl - l2).slice()));
            }
            at = start + incl;
        }
        return out;
    }
}
