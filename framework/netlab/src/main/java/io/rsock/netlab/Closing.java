package io.rsock.netlab;

/** Closing what the lab opened, when closing is all that is left to do and a failure changes nothing. */
final class Closing {
    private Closing() {
    }

    static void quietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing left to do with it
        }
    }
}
