package io.rsock.packet.sys;

import com.sun.jna.Pointer;

/**
 * A JNA {@link Pointer} that can be re-aimed. libpcap hands out a new packet address per packet;
 * re-aiming one pointer instead of wrapping each address in a new {@code Pointer} keeps the capture
 * loop allocation-free.
 */
public final class MovablePointer extends Pointer {
    public MovablePointer() {
        super(0);
    }

    public MovablePointer moveTo(long address) {
        this.peer = address;
        return this;
    }

    public long address() {
        return peer;
    }
}
