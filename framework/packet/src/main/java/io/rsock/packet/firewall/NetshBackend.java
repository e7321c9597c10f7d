package io.rsock.packet.firewall;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows: Windows Defender Firewall block rules through {@code netsh advfirewall}, one named
 * rule per drop, {@code rsock_<pid>-<n>}, deleted by that name. The filtering platform drops a
 * blocked segment before the TCP stack can answer it, while Npcap, below it, still captures it.
 * The name is the only part of {@code netsh}'s output read back (the labels around it are in the
 * system's language).
 */
public final class NetshBackend implements FirewallBackend {
    private static final Pattern RULE_NAME = Pattern.compile("(rsock_\\d+(?:_\\d+)?)-\\d+");

    private final CommandRunner runner;
    private final String run;
    private final Set<String> installed = new LinkedHashSet<>();
    private int nextId = 1;

    /** @param run the run's name, {@code rsock_<pid>}: its rules are named {@code <run>-<n>} */
    public NetshBackend(CommandRunner runner, String run) {
        this.runner = runner;
        this.run = run;
    }

    @Override
    public String name() {
        return "windows-firewall";
    }

    @Override
    public synchronized InstalledRule install(PacketFilter filter) throws TransportException {
        String name = run + "-" + nextId++;
        List<String> cmd = addCommand(name, filter);
        CommandRunner.Result r = run(cmd);
        if (!r.ok()) {
            throw FirewallErrors.failed("cannot add firewall rule " + name, r.output(), String.join(" ", cmd) + " (elevated prompt)");
        }
        installed.add(name);
        return new InstalledRule(filter, name);
    }

    /** {@code netsh advfirewall firewall add rule name=... dir=in action=block protocol=... [localport= remoteip= remoteport=]}. */
    static List<String> addCommand(String name, PacketFilter f) {
        List<String> cmd = new ArrayList<>(List.of("netsh", "advfirewall", "firewall", "add", "rule", "name=" + name, "dir=in",
                "action=block"));
        boolean ports = f.protocol() == PacketFilter.TCP || f.protocol() == PacketFilter.UDP;
        cmd.add("protocol=" + switch (f.protocol()) {
            case PacketFilter.TCP -> "TCP";
            case PacketFilter.UDP -> "UDP";
            case PacketFilter.ICMP -> "icmpv4:8,any"; // echo requests; no match on the identifier
            case PacketFilter.ICMPV6 -> "icmpv6:128,any";
            default -> Integer.toString(f.protocol());
        });
        if (ports && f.localPort() != 0) {
            cmd.add("localport=" + f.localPort());
        }
        if (f.remoteAddress() != null) {
            cmd.add("remoteip=" + f.remoteAddress().getHostAddress());
        }
        if (ports && f.remotePort() != 0) {
            cmd.add("remoteport=" + f.remotePort());
        }
        return cmd;
    }

    @Override
    public synchronized void remove(InstalledRule rule) throws TransportException {
        delete(rule.handle());
        installed.remove(rule.handle());
    }

    @Override
    public synchronized void removeAll() throws TransportException {
        for (String name : List.copyOf(installed)) {
            delete(name);
            installed.remove(name);
        }
    }

    private void delete(String name) throws TransportException {
        CommandRunner.Result r = run(deleteCommand(name));
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete firewall rule " + name + ": " + r.output());
        }
    }

    static List<String> deleteCommand(String name) {
        return List.of("netsh", "advfirewall", "firewall", "delete", "rule", "name=" + name);
    }

    @Override
    public synchronized List<String> removeStale(LongPredicate pidAlive) throws TransportException {
        CommandRunner.Result r = run(List.of("netsh", "advfirewall", "firewall", "show", "rule", "name=all"));
        if (!r.ok()) {
            throw new TransportException("cannot list firewall rules: " + r.output());
        }
        Set<String> stale = new LinkedHashSet<>();
        Matcher m = RULE_NAME.matcher(r.output());
        while (m.find()) {
            OptionalLong owner = RunName.pidOf(m.group(1));
            if (owner.isPresent() && !m.group(1).equals(run) && !pidAlive.test(owner.getAsLong())) {
                stale.add(m.group());
            }
        }
        for (String name : stale) {
            delete(name);
        }
        return List.copyOf(stale);
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        String name;
        synchronized (this) {
            name = run + "-" + nextId++;
        }
        return List.of(String.join(" ", addCommand(name, filter)) + "   (elevated prompt)",
                String.join(" ", deleteCommand(name)) + "   (when rsock has stopped)");
    }

    private CommandRunner.Result run(List<String> cmd) throws TransportException {
        try {
            return runner.run(cmd, null);
        } catch (IOException e) {
            throw new TransportException("cannot run netsh (" + e.getMessage() + "), or pass --no-rules", e);
        }
    }
}
