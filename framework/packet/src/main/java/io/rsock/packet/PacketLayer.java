package io.rsock.packet;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import io.rsock.packet.capture.BpfFilter;
import io.rsock.packet.capture.CaptureSizing;
import io.rsock.packet.capture.CaptureThread;
import io.rsock.packet.capture.Demultiplexer;
import io.rsock.packet.capture.LinkLayer;
import io.rsock.packet.capture.LiveCapture;
import io.rsock.packet.device.Device;
import io.rsock.packet.device.DeviceSelector;
import io.rsock.packet.device.ReceiveOffloads;
import io.rsock.packet.inject.PacketInjector;
import io.rsock.packet.inject.PcapL2Injector;
import io.rsock.packet.inject.RawSocketInjector;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link PacketIO} on one device: one pcap capture, read by one thread
 * ({@code rsock-capture-<dev>}) and demultiplexed to every registered transport, with a kernel BPF
 * filter kept equal to the union of the registrations; and one injector (a raw socket on Linux, pcap
 * L2 elsewhere or when asked). The host opens one per device, shares it, and closes it at exit.
 */
public final class PacketLayer implements PacketIO, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketLayer.class);
    private final Device device;
    private final int datalink;
    private final Demultiplexer demux;
    private final CaptureThread capture;
    private final PacketInjector injector;
    private final CaptureSizing sizing;
    private final LongAdder injected = new LongAdder();
    private final LongAdder injectFailed = new LongAdder();
    private volatile boolean closed;

    private PacketLayer(Device device, int datalink, Demultiplexer demux, CaptureThread capture, PacketInjector injector,
            CaptureSizing sizing) {
        this.device = device;
        this.sizing = sizing;
        this.datalink = datalink;
        this.demux = demux;
        this.capture = capture;
        this.injector = injector;
    }

    /** Selects the device as {@link DeviceSelector} does, then opens capture and injection on it. */
    public static PacketLayer open(PacketLayerOptions options) throws TransportException {
        Device device = new DeviceSelector().select(options.device(), options.localAddress(), options.peerHint());
        return open(device, options);
    }

    /** Opens capture and injection on a device chosen already; the options' device fields are ignored. */
    public static PacketLayer open(Device device, PacketLayerOptions options) throws TransportException {
        CaptureSizing sizing = CaptureSizing.forDevice(device.mtu(), ReceiveOffloads.mayMerge(device.name()));
        LiveCapture live = LiveCapture.open(device.name(), sizing.snaplen(), sizing.ringBytes(), options.captureTimeoutMillis(), true);
        PacketInjector injector = null;
        try {
            if (!LinkLayer.isSupported(live.datalink())) {
                throw new TransportException("cannot capture on " + device.name() + ": unsupported datalink "
                        + LinkLayer.name(live.datalink()) + "; pass another -d");
            }
            live.setFilter(BpfFilter.MATCH_NOTHING);
            injector = options.injector() == InjectorKind.RAW ? RawSocketInjector.open() : PcapL2Injector.open(device);
            Demultiplexer demux = new Demultiplexer();
            int datalink = live.datalink();
            CaptureThread thread = new CaptureThread(live, BpfFilter.MATCH_NOTHING, () -> BpfFilter.build(demux.filters()), demux,
                    sizing.snaplen(), options.captureTimeoutMillis());
            log.info("packet layer on {}: datalink {}, {}, {}, read timeout {} ms, {} injector", device, LinkLayer.name(datalink),
                    LiveCapture.libraryVersion(), sizing, options.captureTimeoutMillis(), injector.name());
            return new PacketLayer(device, datalink, demux, thread, injector, sizing);
        } catch (TransportException | RuntimeException e) {
            live.close(); // the capture thread never started, so this thread still owns the handle
            if (injector != null) {
                injector.close();
            }
            throw e;
        }
    }

    @Override
    public Inet4Address localAddress() {
        return device.address();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    /** The device this layer captures on and sends from. */
    public Device device() {
        return device;
    }

    /** The capture's datalink, e.g. {@code EN10MB}. */
    public String datalinkName() {
        return LinkLayer.name(datalink);
    }

    /** How much of each packet the capture keeps, and its ring. */
    public CaptureSizing captureSizing() {
        return sizing;
    }

    /** Which injector sends: {@code "raw"} or {@code "pcap"}. */
    public String injectorName() {
        return injector.name();
    }

    /** The kernel BPF filter installed now. */
    public String currentFilter() {
        return capture.currentFilter();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the kernel filter lets the flow through. May be called from a receiver (on the
     * capture thread); then the filter is widened right after that callback returns.
     *
     * @throws TransportException when the same filter is registered already, the layer is closed, or
     *     the filter cannot be installed
     */
    @Override
    public Registration register(PacketFilter filter, PacketReceiver receiver) throws TransportException {
        if (closed) {
            throw new TransportException("packet layer on " + device.name() + " is closed");
        }
        Demultiplexer.Route route;
        try {
            route = demux.add(filter, receiver);
        } catch (IllegalStateException e) {
            throw new TransportException(e.getMessage(), e);
        }
        try {
            capture.updateFilter();
        } catch (TransportException e) {
            demux.remove(route);
            capture.requestFilterUpdate();
            throw e;
        }
        return new CaptureRegistration(route);
    }

    @Override
    public boolean send(ByteBuffer packet) {
        if (!closed && injector.send(packet)) {
            injected.increment();
            return true;
        }
        injectFailed.increment();
        return false;
    }

    @Override
    public int send(ByteBuffer[] packets, int count) {
        int sent = closed ? 0 : injector.send(packets, count);
        injected.add(sent);
        injectFailed.add(count - sent);
        return sent;
    }

    /** The counters now. */
    public PacketStats stats() {
        return new PacketStats(capture.captured(), capture.delivered(), capture.unmatched(), capture.malformed(),
                capture.receiverErrors(), capture.captureErrors(), injected.sum(), injectFailed.sum(), capture.kernelDrops());
    }

    /** Stops the capture thread and closes the injector. Idempotent; registrations die with it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        capture.close();
        injector.close();
        PacketStats s = stats();
        log.info("packet layer on {} closed: captured {}, delivered {}, unmatched {}, malformed {}, injected {}, inject failed {}",
                device.name(), s.captured(), s.delivered(), s.unmatched(), s.malformed(), s.injected(), s.injectFailed());
    }

    /** A receiver's place in the demultiplexer; closing it narrows the kernel filter again. */
    private final class CaptureRegistration implements Registration {
        private final Demultiplexer.Route route;

        CaptureRegistration(Demultiplexer.Route route) {
            this.route = route;
        }

        @Override
        public void close() {
            if (demux.remove(route) && !closed) {
                capture.requestFilterUpdate();
            }
        }
    }
}
