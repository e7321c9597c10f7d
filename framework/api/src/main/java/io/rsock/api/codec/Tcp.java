package io.rsock.api.codec;

import java.nio.ByteBuffer;

/**
 * TCP header fields and options (RFC 9293, RFC 7323, RFC 2018) read and written in place at an
 * absolute offset, like {@link Ipv4}: no allocation, the buffer's position untouched.
 *
 * <p>Sequence and acknowledgment numbers are returned as Java {@code int}s holding the 32 raw bits;
 * compare them with serial arithmetic ({@code a - b < 0}), never with {@code <}. Option methods take
 * the offset of the TCP header and return absolute offsets of an option's kind byte (or -1), so that
 * a parser never trusts a length it has not checked against the header's data offset.
 */
public final class Tcp {
    /** Header length without options. */
    public static final int MIN_HEADER = 20;
    /** Largest header (data offset 15). */
    public static final int MAX_HEADER = 60;

    /** No more data from sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push. */
    public static final int PSH = 0x08;
    /** The acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** The urgent pointer is significant. */
    public static final int URG = 0x20;
    /** ECN echo. */
    public static final int ECE = 0x40;
    /** Congestion window reduced. */
    public static final int CWR = 0x80;

    /** Option kind: end of option list. */
    public static final int OPT_EOL = 0;
    /** Option kind: no-operation (padding). */
    public static final int OPT_NOP = 1;
    /** Option kind: maximum segment size (length 4). */
    public static final int OPT_MSS = 2;
    /** Option kind: window scale (length 3). */
    public static final int OPT_WINDOW_SCALE = 3;
    /** Option kind: SACK permitted (length 2). */
    public static final int OPT_SACK_PERMITTED = 4;
    /** Option kind: SACK blocks. */
    public static final int OPT_SACK = 5;
    /** Option kind: timestamps, TSval and TSecr (length 10). */
    public static final int OPT_TIMESTAMPS = 8;

    /** Length of the timestamps option alone. */
    public static final int TIMESTAMPS_LENGTH = 10;
    /** NOP, NOP, timestamps: the 12 option bytes Linux puts on every segment after the handshake. */
    public static final int ALIGNED_TIMESTAMPS_LENGTH = 12;
    /** The 32-bit word that starts Linux's aligned timestamps option: NOP, NOP, kind 8, length 10. */
    private static final int ALIGNED_TIMESTAMPS_WORD = 0x0101080A;

    private Tcp() {
    }

    public static int sourcePort(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    public static int destinationPort(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    /** Sequence number, raw 32 bits. */
    public static int sequence(ByteBuffer b, int off) {
        return b.getInt(off + 4);
    }

    /** Acknowledgment number, raw 32 bits. */
    public static int acknowledgment(ByteBuffer b, int off) {
        return b.getInt(off + 8);
    }

    /** Header length in bytes (data offset * 4), options included. */
    public static int headerLength(ByteBuffer b, int off) {
        return ((b.get(off + 12) & 0xF0) >>> 4) * 4;
    }

    /** The eight flag bits ({@link #FIN} ... {@link #CWR}). */
    public static int flags(ByteBuffer b, int off) {
        return b.get(off + 13) & 0xFF;
    }

    /** Whether every flag of {@code mask} is set. */
    public static boolean hasFlags(ByteBuffer b, int off, int mask) {
        return (flags(b, off) & mask) == mask;
    }

    /** The window field, unscaled. */
    public static int window(ByteBuffer b, int off) {
        return b.getShort(off + 14) & 0xFFFF;
    }

    public static int checksum(ByteBuffer b, int off) {
        return b.getShort(off + 16) & 0xFFFF;
    }

    public static int urgentPointer(ByteBuffer b, int off) {
        return b.getShort(off + 18) & 0xFFFF;
    }

    public static void setSourcePort(ByteBuffer b, int off, int port) {
        b.putShort(off, (short) port);
    }

    public static void setDestinationPort(ByteBuffer b, int off, int port) {
        b.putShort(off + 2, (short) port);
    }

    public static void setSequence(ByteBuffer b, int off, int seq) {
        b.putInt(off + 4, seq);
    }

    public static void setAcknowledgment(ByteBuffer b, int off, int ack) {
        b.putInt(off + 8, ack);
    }

    /** Sets the data offset for a header of {@code length} bytes (a multiple of 4, 20 to 60); clears the reserved bits. */
    public static void setHeaderLength(ByteBuffer b, int off, int length) {
        if (length < MIN_HEADER || length > MAX_HEADER || (length & 3) != 0) {
            throw new IllegalArgumentException("TCP header length " + length);
        }
        b.put(off + 12, (byte) ((length / 4) << 4));
    }

    public static void setFlags(ByteBuffer b, int off, int flags) {
        b.put(off + 13, (byte) flags);
    }

    public static void setWindow(ByteBuffer b, int off, int window) {
        b.putShort(off + 14, (short) window);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        b.putShort(off + 16, (short) checksum);
    }

    public static void setUrgentPointer(ByteBuffer b, int off, int urgent) {
        b.putShort(off + 18, (short) urgent);
    }

    /**
     * Writes the fixed 20-byte header at {@code off} with the checksum zeroed, for options of
     * {@code optionsLength} bytes (a multiple of 4, at most 40) that the caller writes next.
     *
     * @return the absolute offset where the options go (the payload follows them)
     */
    public static int writeHeader(ByteBuffer b, int off, int sourcePort, int destinationPort, int seq, int ack, int flags,
            int window, int optionsLength) {
        setSourcePort(b, off, sourcePort);
        setDestinationPort(b, off, destinationPort);
        setSequence(b, off, seq);
        setAcknowledgment(b, off, ack);
        setHeaderLength(b, off, MIN_HEADER + optionsLength);
        setFlags(b, off, flags);
        setWindow(b, off, window);
        setChecksum(b, off, 0);
        setUrgentPointer(b, off, 0);
        return off + MIN_HEADER;
    }

    /**
     * Whether a plausible TCP header starts at {@code off} with {@code segmentLength} bytes of
     * segment (header and payload) behind it: at least 20 bytes, data offset at least 5 and within
     * the segment. Hostile input is checked with this before other accessors are trusted.
     */
    public static boolean isValidHeader(ByteBuffer b, int off, int segmentLength) {
        if (segmentLength < MIN_HEADER || off + segmentLength > b.limit()) {
            return false;
        }
        int hl = headerLength(b, off);
        return hl >= MIN_HEADER && hl <= segmentLength;
    }

    // ---------------------------------------------------------------------------------------------
    // Options

    /**
     * The absolute offset of the first option of kind {@code kind} in the header at {@code off}, or
     * -1 when it is absent or the option list is malformed before it (a length under 2 or running past
     * the header). The header's data offset must have been checked ({@link #isValidHeader}).
     */
    public static int findOption(ByteBuffer b, int off, int kind) {
        int i = off + MIN_HEADER;
        int end = off + headerLength(b, off);
        while (i < end) {
            int k = b.get(i) & 0xFF;
            if (k == OPT_EOL) {
                return -1;
            }
            if (k == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int len = b.get(i + 1) & 0xFF;
            if (len < 2 || i + len > end) {
                return -1;
            }
            if (k == kind) {
                return i;
            }
            i += len;
        }
        return -1;
    }

    /**
     * The absolute offset of the timestamps option (its kind byte) in the header at {@code off}, or
     * -1. Checks Linux's layout first (NOP, NOP, timestamps right after the fixed header, as on every
     * segment past the handshake) with one 32-bit read, then walks the options.
     */
    public static int findTimestamps(ByteBuffer b, int off) {
        int hl = headerLength(b, off);
        if (hl >= MIN_HEADER + ALIGNED_TIMESTAMPS_LENGTH && b.getInt(off + MIN_HEADER) == ALIGNED_TIMESTAMPS_WORD) {
            return off + MIN_HEADER + 2;
        }
        int at = findOption(b, off, OPT_TIMESTAMPS);
        return at >= 0 && (b.get(at + 1) & 0xFF) == TIMESTAMPS_LENGTH ? at : -1;
    }

    /** TSval of the timestamps option at {@code optionOffset} (from {@link #findTimestamps}). */
    public static int tsVal(ByteBuffer b, int optionOffset) {
        return b.getInt(optionOffset + 2);
    }

    /** TSecr of the timestamps option at {@code optionOffset}. */
    public static int tsEcr(ByteBuffer b, int optionOffset) {
        return b.getInt(optionOffset + 6);
    }

    /** The MSS option's value in the header at {@code off}, or -1 when absent or malformed. */
    public static int mss(ByteBuffer b, int off) {
        int at = findOption(b, off, OPT_MSS);
        return at >= 0 && (b.get(at + 1) & 0xFF) == 4 ? b.getShort(at + 2) & 0xFFFF : -1;
    }

    /** The window scale option's shift count in the header at {@code off}, or -1 when absent or malformed. */
    public static int windowScale(ByteBuffer b, int off) {
        int at = findOption(b, off, OPT_WINDOW_SCALE);
        return at >= 0 && (b.get(at + 1) & 0xFF) == 3 ? b.get(at + 2) & 0xFF : -1;
    }

    /** Whether the header at {@code off} carries the SACK-permitted option. */
    public static boolean sackPermitted(ByteBuffer b, int off) {
        int at = findOption(b, off, OPT_SACK_PERMITTED);
        return at >= 0 && (b.get(at + 1) & 0xFF) == 2;
    }

    /** Writes a NOP at {@code at}; returns the offset after it. */
    public static int writeNop(ByteBuffer b, int at) {
        b.put(at, (byte) OPT_NOP);
        return at + 1;
    }

    /** Writes an end-of-list byte at {@code at}; returns the offset after it. */
    public static int writeEol(ByteBuffer b, int at) {
        b.put(at, (byte) OPT_EOL);
        return at + 1;
    }

    /** Writes the MSS option (4 bytes) at {@code at}; returns the offset after it. */
    public static int writeMss(ByteBuffer b, int at, int mss) {
        b.put(at, (byte) OPT_MSS).put(at + 1, (byte) 4).putShort(at + 2, (short) mss);
        return at + 4;
    }

    /** Writes the SACK-permitted option (2 bytes) at {@code at}; returns the offset after it. */
    public static int writeSackPermitted(ByteBuffer b, int at) {
        b.put(at, (byte) OPT_SACK_PERMITTED).put(at + 1, (byte) 2);
        return at + 2;
    }

    /** Writes the window scale option (3 bytes) at {@code at}; returns the offset after it. */
    public static int writeWindowScale(ByteBuffer b, int at, int shift) {
        b.put(at, (byte) OPT_WINDOW_SCALE).put(at + 1, (byte) 3).put(at + 2, (byte) shift);
        return at + 3;
    }

    /** Writes the timestamps option (10 bytes) at {@code at}; returns the offset after it. */
    public static int writeTimestamps(ByteBuffer b, int at, int tsVal, int tsEcr) {
        b.put(at, (byte) OPT_TIMESTAMPS).put(at + 1, (byte) TIMESTAMPS_LENGTH).putInt(at + 2, tsVal).putInt(at + 6, tsEcr);
        return at + TIMESTAMPS_LENGTH;
    }

    /** Writes NOP, NOP, timestamps (12 bytes, Linux's layout after the handshake); returns the offset after it. */
    public static int writeAlignedTimestamps(ByteBuffer b, int at, int tsVal, int tsEcr) {
        b.putInt(at, ALIGNED_TIMESTAMPS_WORD).putInt(at + 4, tsVal).putInt(at + 8, tsEcr);
        return at + ALIGNED_TIMESTAMPS_LENGTH;
    }

    /** Length of the options Linux puts on a SYN or SYN-ACK ({@link #writeLinuxSynOptions}). */
    public static final int LINUX_SYN_OPTIONS_LENGTH = 20;

    /**
     * Writes the 20 option bytes Linux sends on a SYN and (when the SYN offered them all) a SYN-ACK:
     * MSS, SACK-permitted, timestamps, NOP, window scale. Returns the offset after them.
     */
    public static int writeLinuxSynOptions(ByteBuffer b, int at, int mss, int tsVal, int tsEcr, int windowShift) {
        int i = writeMss(b, at, mss);
        i = writeSackPermitted(b, i);
        i = writeTimestamps(b, i, tsVal, tsEcr);
        i = writeNop(b, i);
        return writeWindowScale(b, i, windowShift);
    }
}
