package io.rsock.packet.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The rules printed on macOS and Windows (where rsock installs none): their exact syntax. */
class HintBackendTest {
    private static final Inet4Address PEER = addr();

    private static Inet4Address addr() {
        try {
            return (Inet4Address) InetAddress.getByName("10.201.2.2");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pfRulesInTheAppleAnchor() {
        HintBackend pf = new HintBackend(HintBackend.Os.MACOS);
        assertEquals("echo 'block drop in quick proto tcp from any to any port 10001' | sudo pfctl -a com.apple/rsock -f -"
                + "   # with every other printed rule, in one go", pf.commandsFor(PacketFilter.tcpTo(10001)).get(0));
        assertEquals("echo 'block drop in quick proto tcp from 10.201.2.2 port 10001 to any port 55358' | sudo pfctl -a "
                + "com.apple/rsock -f -   # with every other printed rule, in one go",
                pf.commandsFor(PacketFilter.tcp(55358, PEER, 10001)).get(0));
    }

    @Test
    void netshRulesOnWindows() {
        HintBackend win = new HintBackend(HintBackend.Os.WINDOWS);
        assertEquals("netsh advfirewall firewall add rule name=\"rsock tcp 55358 from 10.201.2.2\" dir=in action=block "
                + "protocol=TCP localport=55358 remoteip=10.201.2.2 remoteport=10001   (elevated prompt)",
                win.commandsFor(PacketFilter.tcp(55358, PEER, 10001)).get(0));
    }

    @Test
    void neverInstallsAnything() {
        assertThrows(TransportException.class, () -> new HintBackend(HintBackend.Os.MACOS).install(PacketFilter.tcpTo(1)));
    }
}
