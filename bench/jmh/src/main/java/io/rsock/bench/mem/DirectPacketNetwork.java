package io.rsock.bench.mem;

import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An in-memory IPv4 network for benchmarks that allocates nothing per packet, so that an allocation
 * {@code -prof gc} reports on a path through it is the production code's and not the harness's (the
 * testkit's {@code InMemoryPacketNetwork} copies every packet into a new buffer and hands it to
 * another thread).
 *
 * <p>The thread that sends a packet also delivers it: {@link PacketIO#send} copies the packet into a
 * preallocated ring and, unless this thread is already delivering, drains the ring, handing each
 * packet to the receiver registered for it (most specific filter wins). A packet sent while
 * delivering (an ACK, an answer) is queued and delivered by the same loop after the current one
 * returns, so receivers never re-enter. Deliveries happen outside the ring's lock, so a sender that
 * holds its own lock never waits for a receiver. Not a model of loss, MTU or timing.
 */
public final class DirectPacketNetwork {
    private static final int SLOTS = 1024;
    private static final int SLOT_SIZE = 65536;

    private final ByteBuffer[] ring = new ByteBuffer[SLOTS];
    private int head;
    private int tail;
    private long dropped;
    private volatile Reg[] regs = new Reg[0];
    private final ThreadLocal<Pump> pumps = ThreadLocal.withInitial(Pump::new);

    public DirectPacketNetwork() {
        for (int i = 0; i < SLOTS; i++) {
            ring[i] = ByteBuffer.allocateDirect(SLOT_SIZE);
        }
    }

    /** An endpoint with {@code address} and {@code mtu}. */
    public PacketIO endpoint(Inet4Address address, int mtu) {
        int addr = toInt(address);
        return new PacketIO() {
            @Override
            public Inet4Address localAddress() {
                return address;
            }

            @Override
            public int mtu() {
                return mtu;
            }

            @Override
            public Registration register(PacketFilter filter, PacketReceiver receiver) {
                Reg r = new Reg(addr, filter, receiver);
                synchronized (DirectPacketNetwork.this) {
                    Reg[] now = Arrays.copyOf(regs, regs.length + 1);
                    now[now.length - 1] = r;
                    regs = now;
                }
                return () -> {
                    synchronized (DirectPacketNetwork.this) {
                        regs = Arrays.stream(regs).filter(x -> x != r).toArray(Reg[]::new);
                    }
                };
            }

            @Override
            public boolean send(ByteBuffer packet) {
                return DirectPacketNetwork.this.send(packet);
            }
        };
    }

    /** Packets dropped because the ring was full or nobody took them. */
    public synchronized long dropped() {
        return dropped;
    }

    private boolean send(ByteBuffer packet) {
        synchronized (this) {
            if (tail - head == SLOTS || packet.remaining() > SLOT_SIZE) {
                dropped++;
                return false;
            }
            ByteBuffer slot = ring[tail++ & (SLOTS - 1)];
            slot.clear();
            slot.put(0, packet, packet.position(), packet.remaining());
            slot.limit(packet.remaining());
        }
        Pump p = pumps.get();
        if (!p.active) {
            p.active = true;
            try {
                drain(p.scratch);
            } finally {
                p.active = false;
            }
        }
        return true;
    }

    private void drain(ByteBuffer scratch) {
        while (true) {
            synchronized (this) {
                if (head == tail) {
                    return;
                }
                ByteBuffer slot = ring[head++ & (SLOTS - 1)];
                scratch.clear();
                scratch.put(0, slot, 0, slot.limit());
                scratch.limit(slot.limit());
            }
            deliver(scratch);
        }
    }

    private void deliver(ByteBuffer b) {
        if (b.limit() < 24) {
            synchronized (this) {
                dropped++;
            }
            return;
        }
        int ihl = (b.get(0) & 0x0F) * 4;
        int protocol = b.get(9) & 0xFF;
        int src = b.getInt(12);
        int dst = b.getInt(16);
        int srcPort = b.getShort(ihl) & 0xFFFF;
        int dstPort = b.getShort(ihl + 2) & 0xFFFF;
        Reg best = null;
        for (Reg r : regs) {
            if (r.matches(dst, protocol, src, srcPort, dstPort) && (best == null || r.specificity > best.specificity)) {
                best = r;
            }
        }
        if (best == null) {
            synchronized (this) {
                dropped++;
            }
            return;
        }
        best.receiver.received(b);
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static final class Pump {
        final ByteBuffer scratch = ByteBuffer.allocateDirect(SLOT_SIZE);
        boolean active;
    }

    private static final class Reg {
        final int address;
        final int protocol;
        final int localPort;
        final int remote;
        final boolean anyRemote;
        final int remotePort;
        final int specificity;
        final PacketReceiver receiver;

        Reg(int address, PacketFilter f, PacketReceiver receiver) {
            this.address = address;
            this.protocol = f.protocol();
            this.localPort = f.localPort();
            this.anyRemote = f.remote() == null;
            this.remote = anyRemote ? 0 : toInt(f.remote());
            this.remotePort = f.remotePort();
            this.specificity = f.specificity();
            this.receiver = receiver;
        }

        boolean matches(int dst, int proto, int src, int srcPort, int dstPort) {
            return dst == address && proto == protocol && (localPort == 0 || localPort == dstPort)
                    && (anyRemote || remote == src) && (remotePort == 0 || remotePort == srcPort);
        }
    }
}
