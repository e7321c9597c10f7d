package io.rsock.core.frame;

/**
 * The header fields of the frame {@link FrameCodec#decode} just checked, and where its payload is.
 * One instance is reused by the thread that decodes, so the receive path allocates nothing; the
 * fields are valid until the next decode.
 */
public final class ReceivedFrame {
    int type;
    int fragment;
    int clientId;
    int sessionId;
    long counter;
    int payloadOffset;
    int payloadLength;
    Association association;

    public int type() {
        return type;
    }

    /** Fragment byte: high nibble the index, low nibble the count; 0 for a whole datagram. */
    public int fragment() {
        return fragment;
    }

    public int clientId() {
        return clientId;
    }

    public int sessionId() {
        return sessionId;
    }

    /** The sender's 48-bit frame counter. */
    public long counter() {
        return counter;
    }

    /** Absolute offset of the payload in the buffer given to decode. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The association the frame authenticated under; null for HELLO and HELLO_ACK. */
    public Association association() {
        return association;
    }
}
