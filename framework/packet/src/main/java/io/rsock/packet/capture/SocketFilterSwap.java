package io.rsock.packet.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.rsock.packet.LinuxOnly;
import io.rsock.packet.sys.LibC;

/**
 * Replaces the BPF program of a Linux packet socket in one {@code SO_ATTACH_FILTER}: the kernel
 * swaps the old program for the new one atomically, so every packet meets one or the other.
 * libpcap's {@code pcap_setfilter} instead attaches a reject-everything program, drains the socket
 * and only then attaches the new one, and whatever arrives in between is dropped without a count:
 * with conns coming and going (a redial, an idle wake-up, a port rotation) that cost the flows
 * that stayed 2 % of their packets in {@code FilterChangesLoseNothingTest}. The packets already
 * in the ring that the new program would refuse are not removed here, as libpcap would: the
 * demultiplexer matches every packet itself and counts those as unmatched.
 */
@LinuxOnly
final class SocketFilterSwap {
    /** A {@code struct sock_fprog} holds the instruction count in an unsigned short. */
    private static final int MAX_INSTRUCTIONS = 0xFFFF;

    private final int fd;
    private final Memory program = new Memory(2L * Native.POINTER_SIZE); // struct sock_fprog

    private SocketFilterSwap(int fd) {
        this.fd = fd;
    }

    /**
     * The swap for {@code handle}, or null where libpcap's own path is needed: no socket, or a
     * cooked capture ({@code LINUX_SLL}), whose programs libpcap rewrites for the kernel.
     */
    static SocketFilterSwap of(Pointer handle, int datalink) {
        int fd = Libpcap.pcap_fileno(handle);
        if (fd < 0 || datalink == LinkLayer.DLT_LINUX_SLL || datalink == LinkLayer.DLT_LINUX_SLL2) {
            return null;
        }
        return new SocketFilterSwap(fd);
    }

    /**
     * Attaches the compiled {@code bpfProgram} (a libpcap {@code struct bpf_program}, whose
     * instructions have the kernel's layout); false when the kernel refused it.
     */
    boolean attach(Pointer bpfProgram) {
        int instructions = bpfProgram.getInt(0);
        if (instructions <= 0 || instructions > MAX_INSTRUCTIONS) {
            return false;
        }
        program.clear();
        program.setShort(0, (short) instructions);
        program.setPointer(Native.POINTER_SIZE, bpfProgram.getPointer(Native.POINTER_SIZE));
        return LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, program, (int) program.size()) == 0;
    }
}
