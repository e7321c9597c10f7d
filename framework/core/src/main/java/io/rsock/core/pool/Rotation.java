package io.rsock.core.pool;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Conns sharing the traffic, each in proportion to its weight in each {@link SizeClass}: a pick is a
 * random draw over the weights (one random number and a binary search, no allocation), so a conn
 * of weight 1 next to one of 4 096 still gets its trickle. Immutable: the one who reweighs builds
 * a new rotation and publishes it.
 */
public final class Rotation<T> {
    /** The weight of a share of 1. */
    public static final int FULL = 4096;
    private static final Rotation<?> EMPTY = new Rotation<>(new Object[0], new int[SizeClass.COUNT][0]);

    private final Object[] members;
    /** Per size class, the running sums of the members' weights. */
    private final int[][] cumulative;

    private Rotation(Object[] members, int[][] cumulative) {
        this.members = members;
        this.cumulative = cumulative;
    }

    /** Says what a member weighs in a size class. */
    @FunctionalInterface
    public interface Weigher<T> {
        int weight(T member, int sizeClass);
    }

    @SuppressWarnings("unchecked")
    public static <T> Rotation<T> empty() {
        return (Rotation<T>) EMPTY;
    }

    /**
     * The rotation of {@code members}, weighed by {@code weigher}. A weight of 0 leaves the member
     * out of that size class; a class where every weight is 0 is shared equally.
     */
    public static <T> Rotation<T> of(List<T> members, Weigher<T> weigher) {
        int n = members.size();
        int[][] cumulative = new int[SizeClass.COUNT][n];
        for (int c = 0; c < SizeClass.COUNT; c++) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.max(0, weigher.weight(members.get(i), c));
                cumulative[c][i] = sum;
            }
            if (sum == 0) {
                for (int i = 0; i < n; i++) {
                    cumulative[c][i] = i + 1;
                }
            }
        }
        return new Rotation<>(members.toArray(), cumulative);
    }

    /** The weight of {@code share} (0 to 1), at least 1: a conn in the rotation always gets its trickle. */
    public static int weightOf(double share) {
        return (int) Math.max(1, Math.min(FULL, Math.round(share * FULL)));
    }

    public int size() {
        return members.length;
    }

    @SuppressWarnings("unchecked")
    public T member(int index) {
        return (T) members[index];
    }

    /** A member drawn by weight for a frame of {@code sizeClass}: its index, or -1 when there is none. */
    public int pick(int sizeClass) {
        int[] sums = cumulative[sizeClass];
        int n = sums.length;
        return n == 0 ? -1 : indexAt(sizeClass, ThreadLocalRandom.current().nextInt(sums[n - 1]));
    }

    /** The member whose weight covers {@code point} (0 to the total weight, exclusive) in {@code sizeClass}. */
    int indexAt(int sizeClass, int point) {
        int[] sums = cumulative[sizeClass];
        int lo = 0;
        int hi = sums.length - 1;
        while (lo < hi) { // the first whose running sum exceeds the point: a member of weight 0 is never it
            int mid = (lo + hi) >>> 1;
            if (sums[mid] > point) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The part (0 to 1) of {@code sizeClass}'s traffic {@code member} gets; 0 when it is not in the rotation. */
    public double share(T member, int sizeClass) {
        int[] sums = cumulative[sizeClass];
        for (int i = 0; i < members.length; i++) {
            if (members[i] == member) {
                return (double) (sums[i] - (i == 0 ? 0 : sums[i - 1])) / sums[sums.length - 1];
            }
        }
        return 0;
    }
}
