package io.rsock.packet.firewall;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * The fallback where {@code nft} is missing: the run's own chain {@code rsock_<pid>}, jumped to
 * from the top of {@code INPUT} by a rule tagged {@code rsock:<pid>}; each drop rule in the chain
 * carries the same tag, so {@code iptables -S} shows whose they are. A rule is removed by deleting
 * exactly the spec that added it. ICMP echo identifiers are matched with the {@code u32} module.
 *
 * <p>IPv6 has its own tables and tool: with {@code ip6tables} given, the same chain and jump exist
 * there too, a rule for an IPv6 peer or for ICMPv6 goes only there, and a rule for any peer (a
 * server's port) goes to both, so that clients of either family are kept from the kernel.
 */
public final class IptablesBackend implements FirewallBackend {
    private static final int MAX_STALE_JUMPS = 64;
    private static final String FAMILY_SEPARATOR = "\u0001";
    private static final String ARG_SEPARATOR = "\u0000";

    /** One family's tool and whether the run's chain exists there yet. */
    private static final class Table {
        final String program;
        final boolean v6;
        boolean chainCreated;

        Table(String program, boolean v6) {
            this.program = program;
            this.v6 = v6;
        }
    }

    private final CommandRunner runner;
    private final String chain;
    private final Table v4;
    private final Table v6;

    /**
     * IPv4 only.
     *
     * @param program {@code "iptables"} (or a variant such as {@code iptables-legacy})
     * @param chain the run's chain name, {@code rsock_<pid>}
     */
    public IptablesBackend(CommandRunner runner, String program, String chain) {
        this(runner, program, null, chain);
    }

    /**
     * @param program {@code "iptables"} (or a variant)
     * @param program6 {@code "ip6tables"} (or a variant), or null where there is none: IPv6 rules then fail
     * @param chain the run's chain name, {@code rsock_<pid>}
     */
    public IptablesBackend(CommandRunner runner, String program, String program6, String chain) {
        this.runner = runner;
        this.chain = chain;
        this.v4 = new Table(program, false);
        this.v6 = program6 == null ? null : new Table(program6, true);
    }

    @Override
    public String name() {
        return "iptables";
    }

    public String chain() {
        return chain;
    }

    @Override
    public synchronized InstalledRule install(PacketFilter filter) throws TransportException {
        List<String> parts = new ArrayList<>();
        try {
            for (Table t : tablesFor(filter)) {
                ensureChain(t);
                List<String> spec = ruleSpec(filter, chain, t.v6);
                CommandRunner.Result r = run(t, concat(List.of("-A", chain), spec));
                if (!r.ok()) {
                    throw FirewallErrors.failed("cannot add " + t.program + " rule", r.output(),
                            t.program + " -A " + chain + " " + String.join(" ", spec));
                }
                parts.add((t.v6 ? "6" : "4") + ARG_SEPARATOR + String.join(ARG_SEPARATOR, spec));
            }
        } catch (TransportException e) {
            remove(new InstalledRule(filter, String.join(FAMILY_SEPARATOR, parts))); // the family that went in already
            throw e;
        }
        return new InstalledRule(filter, String.join(FAMILY_SEPARATOR, parts));
    }

    /** The tables a rule for {@code f} goes to: its peer's family, or both for any peer. */
    private List<Table> tablesFor(PacketFilter f) throws TransportException {
        if (f.isV4Only()) {
            return List.of(v4);
        }
        if (v6 == null) {
            if (f.isV6Only()) {
                throw new TransportException("ip6tables is not installed: rsock cannot keep the kernel out of IPv6 flows; "
                        + "install nftables (or ip6tables), or pass --no-rules");
            }
            return List.of(v4);
        }
        return f.isV6Only() ? List.of(v6) : List.of(v4, v6);
    }

    private void ensureChain(Table t) throws TransportException {
        if (t.chainCreated) {
            return;
        }
        CommandRunner.Result r = run(t, List.of("-N", chain));
        if (!r.ok() && !r.output().contains("exists")) {
            throw FirewallErrors.failed("cannot create " + t.program + " chain " + chain, r.output(), t.program + " -N " + chain);
        }
        if (!r.ok()) {
            // A leftover of a killed run that had our pid (rsock as pid 1 of a restarted container):
            // its rules must not stay in force, and a second jump would keep -X from ever deleting it.
            run(t, List.of("-F", chain));
            for (int i = 0; i < MAX_STALE_JUMPS && run(t, concat(List.of("-D", "INPUT"), jumpSpec(chain))).ok(); i++) {
                // one jump per restart that reused the pid
            }
        }
        r = run(t, concat(List.of("-I", "INPUT", "1"), jumpSpec(chain)));
        if (!r.ok()) {
            run(t, List.of("-X", chain));
            throw FirewallErrors.failed("cannot add the jump to " + chain, r.output(),
                    t.program + " -I INPUT 1 " + String.join(" ", jumpSpec(chain)));
        }
        t.chainCreated = true;
    }

    /** The INPUT rule that sends everything through the run's chain. */
    static List<String> jumpSpec(String chain) {
        return List.of("-m", "comment", "--comment", RunName.tag(chain), "-j", chain);
    }

    /** The match and target of an IPv4 drop rule, as iptables arguments after {@code -A <chain>}. */
    static List<String> ruleSpec(PacketFilter f, String chain) {
        return ruleSpec(f, chain, false);
    }

    /** The match and target of a drop rule for iptables, or with {@code v6} for ip6tables. */
    static List<String> ruleSpec(PacketFilter f, String chain, boolean v6) {
        List<String> s = new ArrayList<>();
        switch (f.protocol()) {
            case PacketFilter.TCP -> s.addAll(List.of("-p", "tcp"));
            case PacketFilter.UDP -> s.addAll(List.of("-p", "udp"));
            case PacketFilter.ICMP -> s.addAll(List.of("-p", "icmp"));
            case PacketFilter.ICMPV6 -> s.addAll(List.of("-p", "ipv6-icmp"));
            default -> s.addAll(List.of("-p", Integer.toString(f.protocol())));
        }
        if (f.remoteAddress() != null) {
            s.addAll(List.of("-s", f.remoteAddress().getHostAddress() + (v6 ? "/128" : "/32")));
        }
        if (f.protocol() == PacketFilter.TCP || f.protocol() == PacketFilter.UDP) {
            if (f.remotePort() != 0) {
                s.addAll(List.of("--sport", Integer.toString(f.remotePort())));
            }
            if (f.localPort() != 0) {
                s.addAll(List.of("--dport", Integer.toString(f.localPort())));
            }
        } else if (f.protocol() == PacketFilter.ICMP) {
            s.addAll(List.of("--icmp-type", "echo-request"));
            if (f.localPort() != 0) {
                // IHL*4 skips the IP header; the echo identifier is the high half of the ICMP word at 4.
                s.addAll(List.of("-m", "u32", "--u32", "0>>22&0x3C@4>>16=" + f.localPort()));
            }
        } else if (f.protocol() == PacketFilter.ICMPV6) {
            s.addAll(List.of("--icmpv6-type", "echo-request"));
            if (f.localPort() != 0) {
                // The IPv6 header is 40 bytes (rsock's echoes carry no extension headers): the identifier is at 44.
                s.addAll(List.of("-m", "u32", "--u32", "44>>16=" + f.localPort()));
            }
        }
        s.addAll(List.of("-m", "comment", "--comment", RunName.tag(chain), "-j", "DROP"));
        return s;
    }

    @Override
    public synchronized void remove(InstalledRule rule) throws TransportException {
        if (rule.handle().isEmpty()) {
            return;
        }
        for (String part : rule.handle().split(FAMILY_SEPARATOR)) {
            Table t = part.startsWith("6") && v6 != null ? v6 : v4;
            List<String> spec = List.of(part.substring(2).split(ARG_SEPARATOR));
            CommandRunner.Result r = run(t, concat(List.of("-D", chain), spec));
            if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
                throw new TransportException("cannot delete " + t.program + " rule in " + chain + ": " + r.output());
            }
        }
    }

    @Override
    public synchronized void removeAll() throws TransportException {
        for (Table t : tables()) {
            if (t.chainCreated) {
                deleteChain(t, chain);
                t.chainCreated = false;
            }
        }
    }

    private void deleteChain(Table t, String name) throws TransportException {
        CommandRunner.Result jump = run(t, concat(List.of("-D", "INPUT"), jumpSpec(name)));
        run(t, List.of("-F", name));
        CommandRunner.Result r = run(t, List.of("-X", name));
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete " + t.program + " chain " + name + ": " + r.output()
                    + (jump.ok() ? "" : " (removing the jump from INPUT: " + jump.output() + ")"));
        }
    }

    @Override
    public synchronized List<String> removeStale(LongPredicate pidAlive) throws TransportException {
        List<String> removed = new ArrayList<>();
        for (Table t : tables()) {
            CommandRunner.Result r = run(t, List.of("-S"));
            if (!r.ok()) {
                throw new TransportException("cannot list " + t.program + " rules: " + r.output());
            }
            for (String line : r.output().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 2 || !f[0].equals("-N")) {
                    continue;
                }
                OptionalLong owner = RunName.pidOf(f[1]);
                if (owner.isPresent() && !f[1].equals(chain) && !pidAlive.test(owner.getAsLong())) {
                    deleteChain(t, f[1]);
                    removed.add(t.v6 ? f[1] + " (ip6tables)" : f[1]);
                }
            }
        }
        return removed;
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        List<String> out = new ArrayList<>();
        List<Table> tables;
        try {
            tables = tablesFor(filter);
        } catch (TransportException e) {
            tables = List.of(new Table("ip6tables", true)); // what the user would need
        }
        for (Table t : tables) {
            out.add(t.program + " -N " + chain);
            out.add(t.program + " -I INPUT 1 " + String.join(" ", jumpSpec(chain)));
            out.add(t.program + " -A " + chain + " " + String.join(" ", ruleSpec(filter, chain, t.v6)));
        }
        return out;
    }

    private List<Table> tables() {
        return v6 == null ? List.of(v4) : List.of(v4, v6);
    }

    private CommandRunner.Result run(Table t, List<String> args) throws TransportException {
        try {
            // -w: wait for the xtables lock instead of failing when another tool holds it
            return runner.run(concat(List.of(t.program, "-w"), args), null);
        } catch (IOException e) {
            throw new TransportException("cannot run " + t.program + " (" + e.getMessage() + "): install nftables or iptables, or pass --no-rules", e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
