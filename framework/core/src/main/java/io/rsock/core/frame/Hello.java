package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * The payloads of HELLO and HELLO_ACK (big-endian):
 *
 * <pre>
 * HELLO (24 bytes)                      HELLO_ACK (16 bytes)
 *  0  client wall clock, ms since 1970   0  the HELLO's nonce, echoed
 *  8  nonce, random, used once           8  server run nonce R
 * 16  client run nonce, random per run
 * </pre>
 *
 * The answer is 8 bytes shorter than the question, so a HELLO_ACK is never larger than the HELLO it
 * answers, and it carries nothing of the app's. The HELLO's header counter is the client's frame
 * counter when it was sent (the floor of its replay window at the server).
 */
public final class Hello {
    public static final int SIZE = 24;
    public static final int ACK_SIZE = 16;

    private Hello() {
    }

    /** Writes a HELLO payload into {@code buf} (cleared) and flips it for sending. */
    public static ByteBuffer write(ByteBuffer buf, long wallMillis, long nonce, long clientRun) {
        buf.clear();
        buf.putLong(wallMillis).putLong(nonce).putLong(clientRun);
        return buf.flip();
    }

    /** Writes a HELLO_ACK payload into {@code buf} (cleared) and flips it for sending. */
    public static ByteBuffer writeAck(ByteBuffer buf, long helloNonce, long serverRun) {
        buf.clear();
        buf.putLong(helloNonce).putLong(serverRun);
        return buf.flip();
    }

    public static long wallMillis(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset);
    }

    public static long nonce(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset + 8);
    }

    public static long clientRun(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset + 16);
    }

    /** The nonce of the HELLO a HELLO_ACK answers. */
    public static long ackedNonce(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset);
    }

    public static long serverRun(ByteBuffer buf, int payloadOffset) {
        return buf.getLong(payloadOffset + 8);
    }
}
