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
import io.rsock.packet.inject.PacketInjector;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link PacketIO} on one device, for both IP families: one pcap capture, read by one
 * thread ({@code rsock-capture-<dev>}) and demultiplexed to every registered transport, with a
 * kernel BPF filter kept equal to the union of the registrations (and the routers' "too big"
 * messages, which feed the {@link PathMtuTable}); and one injector, as the {@link PacketPath} sets it
 * up (raw sockets on Linux, pcap L2 on the portable path or when asked). The host opens one per
 * device, shares it, and closes it at exit.
 */
public final class PacketLayer implements PacketIO, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketLayer.class);
    /** At most this many packets caught between opening the capture and its first filter are read and dropped. */
    private static final int PENDING_AT_START = 100_000;
    private final Device device;
    private final int datalink;
    private final Demultiplexer demux;
    private final CaptureThread capture;
    private final PacketPath path;
    private final PacketInjector injector;
    private final AutoCloseable sendingCloser;
    private final CaptureSizing sizing;
    private final PathMtuTable pathMtus;
    private final LongAdder injected = new LongAdder();
    private final LongAdder injectFailed = new LongAdder();
    private volatile boolean closed;

    private PacketLayer(Device device, PacketPath path, int datalink, Demultiplexer demux, CaptureThread capture,
            PathSetup.Sending sending, CaptureSizing sizing, PathMtuTable pathMtus) {
        this.device = device;
        this.pathMtus = pathMtus;
        this.path = path;
        this.sizing = sizing;
        this.datalink = datalink;
        this.demux = demux;
        this.capture = capture;
        this.injector = sending.injector();
        this.sendingCloser = sending.closer();
    }

    /** Selects the device as the options' {@link PacketPath} does, then opens capture and injection on it. */
    public static PacketLayer open(PacketLayerOptions options) throws TransportException {
        PathSetup setup = options.path().setup();
        return open(setup, setup.device(options), options);
    }

    /** Opens capture and injection on a device chosen already; the options' device fields are ignored. */
    public static PacketLayer open(Device device, PacketLayerOptions options) throws TransportException {
        return open(options.path().setup(), device, options);
    }

    private static PacketLayer open(PathSetup setup, Device device, PacketLayerOptions options) throws TransportException {
        CaptureSizing sizing = setup.sizing(device);
        LiveCapture live = LiveCapture.open(device.name(), sizing.snaplen(), sizing.ringBytes(), options.captureTimeoutMillis(), true);
        PathSetup.Sending sending = null;
        try {
            if (!LinkLayer.isSupported(live.datalink())) {
                throw new TransportException("cannot capture on " + device.name() + ": unsupported datalink "
                        + LinkLayer.name(live.datalink()) + "; pass another -d");
            }
            if (options.path() == PacketPath.LINUX) {
                live.swapFiltersInPlace();
            }
            live.setFilter(BpfFilter.MATCH_NOTHING);
            live.discardPending(PENDING_AT_START);
            int datalink = live.datalink();
            sending = setup.sending(device, datalink, options);
            Demultiplexer demux = new Demultiplexer();
            PathMtuTable pathMtus = new PathMtuTable(device.mtu(), device::owns, demux, System::nanoTime);
            demux.onTooBig(pathMtus);
            CaptureThread thread = new CaptureThread(live, BpfFilter.MATCH_NOTHING, () -> BpfFilter.build(demux.filters(), true), demux,
                    sending.learner(), sizing.snaplen(), options.captureTimeoutMillis());
            log.info("packet path: {} on {}: datalink {}, {}, {}, read timeout {} ms; {}", options.path().label(), device,
                    LinkLayer.name(datalink), LiveCapture.libraryVersion(), sizing, options.captureTimeoutMillis(), sending.description());
            return new PacketLayer(device, options.path(), datalink, demux, thread, sending, sizing, pathMtus);
        } catch (TransportException | RuntimeException e) {
            live.close(); // the capture thread never started, so this thread still owns the handle
            if (sending != null) {
                closeSending(sending);
            }
            throw e;
        }
    }

    @Override
    public Inet4Address localAddress() {
        return device.address();
    }

    /** The device's IPv4 address, or the kernel's choice of its IPv6 addresses for {@code destination}. */
    @Override
    public InetAddress sourceAddress(InetAddress destination) {
        return DeviceSelector.sourceFor(device, destination);
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    /** As the routers' "too big" messages about our packets said ({@link PathMtuTable}). */
    @Override
    public int pathMtu(InetAddress destination) {
        return pathMtus.pathMtu(destination);
    }

    /** The device this layer captures on and sends from. */
    public Device device() {
        return device;
    }

    /** The path this layer runs. */
    public PacketPath path() {
        return path;
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
        closeSending(new PathSetup.Sending(injector, null, null, sendingCloser));
        PacketStats s = stats();
        log.info("packet layer on {} closed: captured {}, delivered {}, unmatched {}, malformed {}, injected {}, inject failed {}",
                device.name(), s.captured(), s.delivered(), s.unmatched(), s.malformed(), s.injected(), s.injectFailed());
    }

    private static void closeSending(PathSetup.Sending sending) {
        sending.injector().close();
        if (sending.closer() != null) {
            try {
                sending.closer().close();
            } catch (Exception e) {
                log.warn("closing the packet layer's sending side: {}", e.toString());
            }
        }
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
