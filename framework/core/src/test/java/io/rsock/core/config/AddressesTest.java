package io.rsock.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The address forms of -t, -l, --lcapIp, --metrics and the config file, IPv4 and IPv6; what is refused, and why. */
class AddressesTest {
    @Test
    void hostPortOfEitherFamily() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9999), Addresses.hostPort("127.0.0.1:9999"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 9999), Addresses.hostPort("[2001:db8::1]:9999"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 1), Addresses.hostPort("[::1]:1"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::ffff:10.0.0.1"), 5), Addresses.hostPort("[::ffff:10.0.0.1]:5"),
                "an IPv4-mapped address is the IPv4 address");
    }

    @Test
    void aServerListMixesFamilies() throws Exception {
        assertEquals(List.of(InetAddress.getByName("203.0.113.7"), InetAddress.getByName("2001:db8::7"), InetAddress.getByName("fd00::1")),
                Addresses.hostList("203.0.113.7,2001:db8::7,[fd00::1]"));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertRefused(() -> Addresses.hostPort("2001:db8::1:9999"), "brackets");
        assertRefused(() -> Addresses.hostPort("[2001:db8::1]"), "not ip:port");
        assertRefused(() -> Addresses.hostPort("[2001:db8::1:9999"), "unbalanced");
        assertRefused(() -> Addresses.hostPort("2001:db8::1]:9999"), "brackets");
        assertRefused(() -> Addresses.hostPort("[2001:db8::g]:9999"), "not an IPv6 address");
        assertRefused(() -> Addresses.hostPort("[10.0.0.1]:9999"), "not an address");
        assertRefused(() -> Addresses.hostPort("[::1]:99999"), "port");
        assertRefused(() -> Addresses.hostPort("[::1]:"), "not ip:port");
        assertRefused(() -> Addresses.hostList("[2001:db8::1]:10001"), "ports come from -p");
        assertRefused(() -> Addresses.hostList("10.0.0.1:10001"), "ports come from -p");
        assertRefused(() -> Addresses.hostList("2001:db8:::1"), "not an IPv6 address");
        assertRefused(() -> Addresses.hostList("10.0.0.1,,2001:db8::1"), "empty address");
        assertRefused(() -> Addresses.hostList("fe80::1"), "link-local");
        assertRefused(() -> Addresses.host("[]"), "not an address");
        assertRefused(() -> Addresses.host("[::1"), "not an address");
    }

    private static void assertRefused(Runnable parse, String because) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse::run);
        assertTrue(e.getMessage().contains(because), "'" + e.getMessage() + "' lacks '" + because + "'");
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }
}
