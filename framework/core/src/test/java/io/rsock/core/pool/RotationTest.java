package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rotation gives each member its weight's part of each size class, and an empty one gives nothing. */
class RotationTest {
    @Test
    void eachMemberGetsItsWeightsPartOfEachSizeClass() {
        // a: full for every size; b: full for small frames, a trickle for large ones.
        Rotation<String> r = Rotation.of(List.of("a", "b"),
                (m, c) -> m.equals("a") || c == SizeClass.SMALL ? Rotation.FULL : Rotation.weightOf(DeliveryWeights.FLOOR));
        int[] small = new int[2];
        int[] large = new int[2];
        int totalSmall = 2 * Rotation.FULL;
        int totalLarge = Rotation.FULL + 4;
        for (int p = 0; p < totalSmall; p++) {
            small[r.indexAt(SizeClass.SMALL, p)]++;
        }
        for (int p = 0; p < totalLarge; p++) {
            large[r.indexAt(SizeClass.LARGE, p)]++;
        }
        assertEquals(Rotation.FULL, small[0]);
        assertEquals(Rotation.FULL, small[1]);
        assertEquals(Rotation.FULL, large[0]);
        assertEquals(4, large[1], "the penalised conn keeps its trickle of large frames");
        assertEquals(0.5, r.share("b", SizeClass.SMALL), 1e-9);
        assertEquals(4.0 / totalLarge, r.share("b", SizeClass.LARGE), 1e-9);
        assertEquals(0, r.share("c", SizeClass.LARGE), 1e-9);
        for (int i = 0; i < 1000; i++) {
            int k = r.pick(SizeClass.MEDIUM);
            assertEquals(true, k == 0 || k == 1);
        }
    }

    @Test
    void aWeightOfZeroLeavesAMemberOutOfThatClassAndAllZeroSharesEqually() {
        Rotation<String> r = Rotation.of(List.of("a", "b", "c"), (m, c) -> m.equals("b") || c == SizeClass.SMALL ? 0 : 10);
        for (int p = 0; p < 20; p++) {
            assertEquals(true, r.indexAt(SizeClass.LARGE, p) != 1, "b has no weight for large frames");
        }
        assertEquals(0, r.share("b", SizeClass.LARGE), 1e-9);
        assertEquals(1.0 / 3, r.share("b", SizeClass.SMALL), 1e-9, "no weight at all for small frames: equal shares");
    }

    @Test
    void anEmptyRotationPicksNothing() {
        Rotation<String> r = Rotation.empty();
        assertEquals(-1, r.pick(SizeClass.LARGE));
        assertEquals(0, r.size());
    }
}
