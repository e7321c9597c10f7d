package ${package};

import io.rsock.api.OptionValues;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.datagram.DatagramConn;
import io.rsock.api.datagram.DatagramTransport;
import java.nio.ByteBuffer;
import java.util.Map;
import org.pf4j.Extension;

/** {@code --type ${transportType}}: each frame is one UDP datagram, its bytes XORed with {@code --opt ${transportType}.key}. */
@Extension
public final class ${transportClass} extends DatagramTransport {
    private byte key;

    public ${transportClass}() {
        super("${transportType}");
    }

    /** Every key configure reads: the host refuses a --opt key no transport declares. */
    @Override
    protected Map<String, String> ownOptions() {
        return Map.of("${transportType}.key", "the byte each datagram is XORed with, 0 to 255 (default 90)");
    }

    @Override
    protected void configure(TransportContext ctx) throws TransportException {
        key = (byte) OptionValues.integer(ctx.option("${transportType}.key"), "${transportType}.key", 0x5A, 0, 255);
    }

    @Override
    protected ByteBuffer encode(DatagramConn conn, ByteBuffer frame, ByteBuffer out) {
        for (int i = frame.position(); i < frame.limit(); i++) {
            out.put((byte) (frame.get(i) ^ key));
        }
        return out.flip();
    }

    @Override
    protected long decode(Role end, ByteBuffer datagram) {
        for (int i = datagram.position(); i < datagram.limit(); i++) {
            datagram.put(i, (byte) (datagram.get(i) ^ key));
        }
        return 0;
    }
}
