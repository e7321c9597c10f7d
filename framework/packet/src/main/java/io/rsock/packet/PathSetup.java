package io.rsock.packet;

import io.rsock.api.TransportException;
import io.rsock.packet.capture.CaptureSizing;
import io.rsock.packet.capture.LinkLearner;
import io.rsock.packet.device.Device;
import io.rsock.packet.inject.PacketInjector;

/** What a {@link PacketPath} decides when the packet layer opens; one implementation per path. */
interface PathSetup {
    /** The device packets are captured on and sent from. */
    Device device(PacketLayerOptions options) throws TransportException;

    /** The capture's snaplen and ring for {@code device}. */
    CaptureSizing sizing(Device device);

    /** Opens the sending side once the capture is open on a supported {@code datalink}. */
    Sending sending(Device device, int datalink, PacketLayerOptions options) throws TransportException;

    /**
     * The sending side of a packet layer.
     *
     * @param injector sends every packet
     * @param learner what the capture shows each frame to ({@link LinkLearner#NONE} on Linux)
     * @param description how packets leave, and the next hop and how its MAC was learned, for the start-up line
     * @param closer releases what the sending side holds besides the injector (a prober thread), or null
     */
    record Sending(PacketInjector injector, LinkLearner learner, String description, AutoCloseable closer) {
    }
}
