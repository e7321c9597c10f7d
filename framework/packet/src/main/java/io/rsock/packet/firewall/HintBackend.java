package io.rsock.packet.firewall;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Where there is neither nft nor iptables (macOS, Windows): the syntax of the local firewall, for
 * {@link PrintOnlyBackend} to print. rsock never runs these itself: it has not been tested on those
 * systems, and a wrong rule there could cut a remote machine off. <b>Untested</b>: the commands are
 * the documented ones, but no test of this project runs them.
 *
 * <ul>
 *   <li>macOS: pf rules in the {@code com.apple/rsock} anchor, which the stock {@code /etc/pf.conf}
 *       evaluates ({@code anchor "com.apple/*"}); {@code pfctl -f} replaces the anchor's rules, so
 *       load every printed rule in one go.
 *   <li>Windows: Windows Defender Firewall block rules ({@code netsh advfirewall}); a blocked inbound
 *       segment is dropped before the TCP stack answers it, while Npcap still captures it.
 * </ul>
 */
final class HintBackend implements FirewallBackend {
    enum Os { MACOS, WINDOWS }

    private final Os os;

    HintBackend(Os os) {
        this.os = os;
    }

    @Override
    public String name() {
        return os == Os.MACOS ? "pf (hints only)" : "windows-firewall (hints only)";
    }

    @Override
    public InstalledRule install(PacketFilter filter) throws TransportException {
        throw new TransportException(name() + ": rsock does not change this system's firewall; pass --no-rules");
    }

    @Override
    public void remove(InstalledRule rule) {
        // nothing is ever installed
    }

    @Override
    public void removeAll() {
        // nothing is ever installed
    }

    @Override
    public List<String> removeStale(LongPredicate pidAlive) {
        return List.of();
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        String proto = filter.protocol() == PacketFilter.TCP ? "tcp" : filter.protocol() == PacketFilter.UDP ? "udp" : "icmp";
        List<String> out = new ArrayList<>();
        if (os == Os.MACOS) {
            StringBuilder rule = new StringBuilder("block drop in quick proto ").append(proto);
            rule.append(" from ").append(filter.remote() == null ? "any" : filter.remote().getHostAddress());
            if (filter.remotePort() != 0) {
                rule.append(" port ").append(filter.remotePort());
            }
            rule.append(" to any");
            if (filter.localPort() != 0) {
                rule.append(" port ").append(filter.localPort());
            }
            out.add("echo '" + rule + "' | sudo pfctl -a com.apple/rsock -f -   # with every other printed rule, in one go");
            out.add("sudo pfctl -E                                  # pf enabled; remove later: sudo pfctl -a com.apple/rsock -F rules");
        } else {
            String name = "rsock " + proto + " " + (filter.localPort() == 0 ? "any" : filter.localPort())
                    + (filter.remote() == null ? "" : " from " + filter.remote().getHostAddress());
            StringBuilder rule = new StringBuilder("netsh advfirewall firewall add rule name=\"").append(name)
                    .append("\" dir=in action=block protocol=").append(proto.toUpperCase(java.util.Locale.ROOT));
            if (filter.localPort() != 0) {
                rule.append(" localport=").append(filter.localPort());
            }
            if (filter.remote() != null) {
                rule.append(" remoteip=").append(filter.remote().getHostAddress());
            }
            if (filter.remotePort() != 0) {
                rule.append(" remoteport=").append(filter.remotePort());
            }
            out.add(rule + "   (elevated prompt)");
            out.add("netsh advfirewall firewall delete rule name=\"" + name + "\"   (when rsock has stopped)");
        }
        return out;
    }
}
