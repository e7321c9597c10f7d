package io.rsock.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.core.config.FrameProtection;
import org.junit.jupiter.api.Test;

class HotPathWarmupTest {
    @Test
    void everyFrameSentIsReadBackWholeForEachProtection() {
        for (FrameProtection p : FrameProtection.values()) {
            assertEquals(500, HotPathWarmup.run(p, 500), p.name());
        }
    }
}
