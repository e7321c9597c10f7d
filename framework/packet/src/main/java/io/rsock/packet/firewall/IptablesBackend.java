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
 */
public final class IptablesBackend implements FirewallBackend {
    private static final int MAX_STALE_JUMPS = 64;
    private final CommandRunner runner;
    private final String program;
    private final String chain;
    private boolean chainCreated;

    /**
     * @param program {@code "iptables"} (or a variant such as {@code iptables-legacy})
     * @param chain the run's chain name, {@code rsock_<pid>}
     */
    public IptablesBackend(CommandRunner runner, String program, String chain) {
        this.runner = runner;
        this.program = program;
        this.chain = chain;
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
        ensureChain();
        List<String> spec = ruleSpec(filter, chain);
        CommandRunner.Result r = iptables(concat(List.of("-A", chain), spec));
        if (!r.ok()) {
            throw FirewallErrors.failed("cannot add iptables rule", r.output(), program + " -A " + chain + " " + String.join(" ", spec));
        }
        return new InstalledRule(filter, String.join("\u0000", spec));
    }

    private void ensureChain() throws TransportException {
        if (chainCreated) {
            return;
        }
        CommandRunner.Result r = iptables(List.of("-N", chain));
        if (!r.ok() && !r.output().contains("exists")) {
            throw FirewallErrors.failed("cannot create iptables chain " + chain, r.output(), program + " -N " + chain);
        }
        if (!r.ok()) {
            // A leftover of a killed run that had our pid (rsock as pid 1 of a restarted container):
            // its rules must not stay in force, and a second jump would keep -X from ever deleting it.
            iptables(List.of("-F", chain));
            for (int i = 0; i < MAX_STALE_JUMPS && iptables(concat(List.of("-D", "INPUT"), jumpSpec(chain))).ok(); i++) {
                // one jump per restart that reused the pid
            }
        }
        r = iptables(concat(List.of("-I", "INPUT", "1"), jumpSpec(chain)));
        if (!r.ok()) {
            iptables(List.of("-X", chain));
            throw FirewallErrors.failed("cannot add the jump to " + chain, r.output(), program + " -I INPUT 1 " + String.join(" ", jumpSpec(chain)));
        }
        chainCreated = true;
    }

    /** The INPUT rule that sends everything through the run's chain. */
    static List<String> jumpSpec(String chain) {
        return List.of("-m", "comment", "--comment", RunName.tag(chain), "-j", chain);
    }

    /** The match and target of a drop rule, as iptables arguments after {@code -A <chain>}. */
    static List<String> ruleSpec(PacketFilter f, String chain) {
        List<String> s = new ArrayList<>();
        switch (f.protocol()) {
            case PacketFilter.TCP -> s.addAll(List.of("-p", "tcp"));
            case PacketFilter.UDP -> s.addAll(List.of("-p", "udp"));
            case PacketFilter.ICMP -> s.addAll(List.of("-p", "icmp"));
            default -> s.addAll(List.of("-p", Integer.toString(f.protocol())));
        }
        if (f.remote() != null) {
            s.addAll(List.of("-s", f.remote().getHostAddress() + "/32"));
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
        }
        s.addAll(List.of("-m", "comment", "--comment", RunName.tag(chain), "-j", "DROP"));
        return s;
    }

    @Override
    public synchronized void remove(InstalledRule rule) throws TransportException {
        List<String> spec = List.of(rule.handle().split("\u0000"));
        CommandRunner.Result r = iptables(concat(List.of("-D", chain), spec));
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete iptables rule in " + chain + ": " + r.output());
        }
    }

    @Override
    public synchronized void removeAll() throws TransportException {
        if (!chainCreated) {
            return;
        }
        deleteChain(chain);
        chainCreated = false;
    }

    private void deleteChain(String name) throws TransportException {
        CommandRunner.Result jump = iptables(concat(List.of("-D", "INPUT"), jumpSpec(name)));
        iptables(List.of("-F", name));
        CommandRunner.Result r = iptables(List.of("-X", name));
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete iptables chain " + name + ": " + r.output()
                    + (jump.ok() ? "" : " (removing the jump from INPUT: " + jump.output() + ")"));
        }
    }

    @Override
    public synchronized List<String> removeStale(LongPredicate pidAlive) throws TransportException {
        CommandRunner.Result r = iptables(List.of("-S"));
        if (!r.ok()) {
            throw new TransportException("cannot list iptables rules: " + r.output());
        }
        List<String> removed = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 2 || !f[0].equals("-N")) {
                continue;
            }
            OptionalLong owner = RunName.pidOf(f[1]);
            if (owner.isPresent() && !f[1].equals(chain) && !pidAlive.test(owner.getAsLong())) {
                deleteChain(f[1]);
                removed.add(f[1]);
            }
        }
        return removed;
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        return List.of(
                program + " -N " + chain,
                program + " -I INPUT 1 " + String.join(" ", jumpSpec(chain)),
                program + " -A " + chain + " " + String.join(" ", ruleSpec(filter, chain)));
    }

    private CommandRunner.Result iptables(List<String> args) throws TransportException {
        try {
            // -w: wait for the xtables lock instead of failing when another tool holds it
            return runner.run(concat(List.of(program, "-w"), args), null);
        } catch (IOException e) {
            throw new TransportException("cannot run " + program + " (" + e.getMessage() + "): install nftables or iptables, or pass --no-rules", e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
