package io.rsock.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.api.io.QueueBudget;
import org.junit.jupiter.api.Test;

class QueueBudgetTest {
    @Test
    void twoHundredDatagramsOfTwelveHundredBytesAreHalfTheirTruesize() {
        // 200 x 2 560 B charged, and the kernel doubles SO_RCVBUF: 256 000 B asked.
        assertEquals(256_000, QueueBudget.receiveBufferBytes(200));
        assertEquals(3200, QueueBudget.datagrams());
    }

    @Test
    void aRingIsSlotsTimesTheirSize() {
        assertEquals(200 * 65_600, QueueBudget.ringBytes(200, 65_600));
    }
}
