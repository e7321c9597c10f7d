package io.rsock.packet.firewall;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * macOS: the run's rules in its own pf anchor {@code com.apple/rsock_<pid>}, which the stock
 * {@code /etc/pf.conf} evaluates ({@code anchor "com.apple/*"}). {@code pfctl -f} replaces an
 * anchor's whole rule set, so every change loads all the run's rules again; pf is enabled with a
 * reference ({@code pfctl -E}, whose token {@code pfctl -X} gives back), so a pf the user had off
 * is off again once rsock is gone. A blocked segment never reaches the TCP stack, while BPF, below
 * pf, still captures it.
 */
public final class PfBackend implements FirewallBackend {
    static final String PARENT = "com.apple";
    private static final Pattern TOKEN = Pattern.compile("Token : (\\d+)");
    private static final Pattern ANCHOR_LINE = Pattern.compile("^" + Pattern.quote(PARENT) + "/(\\S+)$");

    private final CommandRunner runner;
    private final String anchor;
    private final List<InstalledRule> rules = new ArrayList<>();
    private String token;
    private boolean loaded;
    private int nextId;

    /** @param run the run's name, {@code rsock_<pid>}: the anchor is {@code com.apple/<run>} */
    public PfBackend(CommandRunner runner, String run) {
        this.runner = runner;
        this.anchor = PARENT + "/" + run;
    }

    @Override
    public String name() {
        return "pf";
    }

    /** {@code com.apple/rsock_<pid>}. */
    public String anchor() {
        return anchor;
    }

    @Override
    public synchronized InstalledRule install(PacketFilter filter) throws TransportException {
        enable();
        InstalledRule rule = new InstalledRule(filter, Integer.toString(nextId++));
        rules.add(rule);
        try {
            load();
        } catch (TransportException e) {
            rules.remove(rule);
            throw e;
        }
        return rule;
    }

    /** Takes a reference on pf being enabled, once per run. */
    private void enable() throws TransportException {
        if (token != null) {
            return;
        }
        CommandRunner.Result r = run(List.of("pfctl", "-E"), null);
        Matcher m = TOKEN.matcher(r.output());
        if (!r.ok() || !m.find()) {
            throw FirewallErrors.failed("cannot enable pf", r.output(), "sudo pfctl -E");
        }
        token = m.group(1);
    }

    /** Loads the run's rules into its anchor, replacing what was there. */
    private void load() throws TransportException {
        if (rules.isEmpty()) {
            flush();
            return;
        }
        StringBuilder ruleset = new StringBuilder();
        rules.forEach(r -> ruleset.append(rule(r.filter())).append('\n'));
        CommandRunner.Result r = run(List.of("pfctl", "-a", anchor, "-f", "-"), ruleset.toString());
        if (!r.ok()) {
            throw FirewallErrors.failed("cannot load pf anchor " + anchor, r.output(),
                    "printf '" + ruleset.toString().replace("\n", "\\n") + "' | sudo pfctl -a " + anchor + " -f -");
        }
        loaded = true;
    }

    private void flush() throws TransportException {
        if (!loaded) {
            return;
        }
        flush(anchor);
        loaded = false;
    }

    private void flush(String which) throws TransportException {
        CommandRunner.Result r = run(List.of("pfctl", "-a", which, "-F", "rules"), null);
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot flush pf anchor " + which + ": " + r.output());
        }
    }

    /** The pf rule that drops what {@code f} matches, e.g. {@code block drop in quick inet proto tcp from 10.0.0.2 port 10001 to any port 40000}. */
    static String rule(PacketFilter f) {
        // No address family for a rule without a peer: pf then applies it to IPv4 and IPv6 alike.
        String family = f.isV6Only() ? "inet6 " : f.isV4Only() ? "inet " : "";
        StringBuilder b = new StringBuilder("block drop in quick " + family + "proto ");
        b.append(switch (f.protocol()) {
            case PacketFilter.TCP -> "tcp";
            case PacketFilter.UDP -> "udp";
            case PacketFilter.ICMP -> "icmp";
            case PacketFilter.ICMPV6 -> "ipv6-icmp";
            default -> Integer.toString(f.protocol());
        });
        b.append(" from ").append(f.remoteAddress() == null ? "any" : f.remoteAddress().getHostAddress());
        boolean ports = f.protocol() == PacketFilter.TCP || f.protocol() == PacketFilter.UDP;
        if (ports && f.remotePort() != 0) {
            b.append(" port ").append(f.remotePort());
        }
        b.append(" to any");
        if (ports && f.localPort() != 0) {
            b.append(" port ").append(f.localPort());
        }
        if (f.protocol() == PacketFilter.ICMP) {
            b.append(" icmp-type echoreq"); // pf cannot match the echo identifier: every request from the peer
        } else if (f.protocol() == PacketFilter.ICMPV6) {
            b.append(" icmp6-type echoreq");
        }
        return b.toString();
    }

    @Override
    public synchronized void remove(InstalledRule rule) throws TransportException {
        if (rules.remove(rule)) {
            load();
        }
    }

    @Override
    public synchronized void removeAll() throws TransportException {
        rules.clear();
        flush();
        if (token != null) {
            CommandRunner.Result r = run(List.of("pfctl", "-X", token), null);
            if (!r.ok()) {
                throw new TransportException("cannot release pf's enable reference " + token + ": " + r.output());
            }
            token = null;
        }
    }

    @Override
    public synchronized List<String> removeStale(LongPredicate pidAlive) throws TransportException {
        CommandRunner.Result r = run(List.of("pfctl", "-a", PARENT, "-s", "Anchors"), null);
        if (!r.ok()) {
            throw new TransportException("cannot list pf anchors: " + r.output());
        }
        List<String> removed = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            Matcher m = ANCHOR_LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            OptionalLong owner = RunName.pidOf(m.group(1));
            String which = PARENT + "/" + m.group(1);
            if (owner.isPresent() && !which.equals(anchor) && !pidAlive.test(owner.getAsLong())) {
                flush(which);
                removed.add(which);
            }
        }
        return removed;
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        return List.of(
                "echo '" + rule(filter) + "' | sudo pfctl -a " + anchor + " -f -   (with the run's other rules in one go: -f replaces them)",
                "sudo pfctl -E   (enables pf; remove the rules with: sudo pfctl -a " + anchor + " -F rules)");
    }

    private CommandRunner.Result run(List<String> cmd, String stdin) throws TransportException {
        try {
            return runner.run(cmd, stdin);
        } catch (IOException e) {
            throw new TransportException("cannot run pfctl (" + e.getMessage() + "), or pass --no-rules", e);
        }
    }
}
