package io.rsock.core.host;

import io.rsock.core.pool.SizeClass;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/** How {@code rsock status} shows a conn's data delivery and its share of the traffic, on both ends. */
final class DeliveryStatus {
    private DeliveryStatus() {
    }

    /** A delivered fraction (0 to 1) rounded for people, or null when nothing was sent lately. */
    static Double fraction(double delivered) {
        return delivered < 0 ? null : Math.round(delivered * 10_000) / 10_000.0;
    }

    /** The part of each size class's traffic a conn gets now, by class name. */
    static Map<String, Object> shares(IntToDoubleFunction shareOf) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < SizeClass.COUNT; c++) {
            m.put(SizeClass.name(c), Math.round(shareOf.applyAsDouble(c) * 10_000) / 10_000.0);
        }
        return m;
    }
}
