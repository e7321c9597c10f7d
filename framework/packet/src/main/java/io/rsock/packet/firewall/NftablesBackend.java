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
 * Rules in the run's own nftables table {@code inet rsock_<pid>}, chain {@code input} hooked before
 * the filter priority, so no other table's accept can let a packet reach a socket first (a drop in
 * any base chain is final). Each rule is removed by the handle {@code nft --echo --handle} reported.
 */
public final class NftablesBackend implements FirewallBackend {
    static final String FAMILY = "inet";
    static final String CHAIN = "input";
    /** Before the usual filter chains (priority 0); accept there does not undo our drop anyway. */
    static final int PRIORITY = -10;
    private static final Pattern HANDLE = Pattern.compile("# handle (\\d+)");
    private static final Pattern TABLE_LINE = Pattern.compile("^table (\\S+) (\\S+)$");

    private final CommandRunner runner;
    private final String table;
    private final long pid;
    private boolean tableCreated;

    public NftablesBackend(CommandRunner runner, String table, long pid) {
        this.runner = runner;
        this.table = table;
        this.pid = pid;
    }

    @Override
    public String name() {
        return "nftables";
    }

    /** {@code inet rsock_<pid>}. */
    public String table() {
        return table;
    }

    @Override
    public synchronized InstalledRule install(PacketFilter filter) throws TransportException {
        ensureTable();
        List<String> cmd = new ArrayList<>(List.of("nft", "--echo", "--handle", "add", "rule", FAMILY, table, CHAIN));
        cmd.addAll(ruleTokens(filter));
        CommandRunner.Result r = run(cmd, null);
        if (!r.ok()) {
            throw FirewallErrors.failed("cannot add nftables rule", r.output(), String.join(" ", cmd));
        }
        Matcher m = HANDLE.matcher(r.output());
        if (!m.find()) {
            throw new TransportException("nft added a rule but did not report its handle: " + r.output());
        }
        return new InstalledRule(filter, m.group(1));
    }

    private void ensureTable() throws TransportException {
        if (tableCreated) {
            return;
        }
        CommandRunner.Result r = run(List.of("nft", "-f", "-"), replacing() + tableScript(true));
        if (!r.ok() && r.output().contains("comment")) {
            r = run(List.of("nft", "-f", "-"), replacing() + tableScript(false)); // nft or kernel too old for table comments
        }
        if (!r.ok()) {
            throw FirewallErrors.failed("cannot create nftables table " + FAMILY + " " + table, r.output(), "nft -f - <<EOF\n" + tableScript(false) + "EOF");
        }
        tableCreated = true;
    }

    /**
     * Script lines that delete a table of the same name first, in the same transaction: one can only
     * be a leftover of a killed run that had our pid (rsock as pid 1 of a restarted container), which
     * removeStale cannot tell from ours, and its rules must not stay in force under our name.
     */
    private String replacing() {
        return "table " + FAMILY + " " + table + "\n" + "delete table " + FAMILY + " " + table + "\n";
    }

    /** The script that creates the run's table and its input chain. */
    String tableScript(boolean withComment) {
        return "table " + FAMILY + " " + table + " {\n"
                + (withComment ? "  comment \"rsock-java run, pid " + pid + ": kernel kept out of tunnel flows; removed when that run exits\"\n" : "")
                + "  chain " + CHAIN + " {\n"
                + "    type filter hook input priority " + PRIORITY + "; policy accept;\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * The rule's match and verdict as nft arguments, e.g. {@code ip saddr 1.2.3.4 tcp sport 1 tcp dport 2 counter drop}.
     * The table is {@code inet}: a rule without a peer (a server's port) holds for IPv4 and IPv6 alike.
     */
    static List<String> ruleTokens(PacketFilter f) {
        List<String> t = new ArrayList<>();
        boolean v6 = f.isV6Only();
        if (f.remoteAddress() != null) {
            t.addAll(List.of(v6 ? "ip6" : "ip", "saddr", f.remoteAddress().getHostAddress()));
        }
        switch (f.protocol()) {
            case PacketFilter.TCP, PacketFilter.UDP -> {
                String proto = f.protocol() == PacketFilter.TCP ? "tcp" : "udp";
                if (f.remotePort() == 0 && f.localPort() == 0) {
                    t.addAll(v6 ? List.of("meta", "l4proto", proto) : List.of("ip", "protocol", proto));
                }
                if (f.remotePort() != 0) {
                    t.addAll(List.of(proto, "sport", Integer.toString(f.remotePort())));
                }
                if (f.localPort() != 0) {
                    t.addAll(List.of(proto, "dport", Integer.toString(f.localPort())));
                }
            }
            case PacketFilter.ICMP -> {
                t.addAll(List.of("icmp", "type", "echo-request"));
                if (f.localPort() != 0) {
                    t.addAll(List.of("icmp", "id", Integer.toString(f.localPort())));
                }
            }
            case PacketFilter.ICMPV6 -> {
                t.addAll(List.of("icmpv6", "type", "echo-request"));
                if (f.localPort() != 0) {
                    t.addAll(List.of("icmpv6", "id", Integer.toString(f.localPort())));
                }
            }
            default -> t.addAll(v6 ? List.of("meta", "l4proto", Integer.toString(f.protocol()))
                    : List.of("ip", "protocol", Integer.toString(f.protocol())));
        }
        t.addAll(List.of("counter", "drop"));
        return t;
    }

    @Override
    public synchronized void remove(InstalledRule rule) throws TransportException {
        CommandRunner.Result r = run(List.of("nft", "delete", "rule", FAMILY, table, CHAIN, "handle", rule.handle()), null);
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete nftables rule " + rule.handle() + " of " + table + ": " + r.output());
        }
    }

    @Override
    public synchronized void removeAll() throws TransportException {
        if (!tableCreated) {
            return;
        }
        deleteTable(FAMILY, table);
        tableCreated = false;
    }

    private void deleteTable(String family, String name) throws TransportException {
        CommandRunner.Result r = run(List.of("nft", "delete", "table", family, name), null);
        if (!r.ok() && !FirewallErrors.isMissing(r.output())) {
            throw new TransportException("cannot delete nftables table " + family + " " + name + ": " + r.output());
        }
    }

    @Override
    public synchronized List<String> removeStale(LongPredicate pidAlive) throws TransportException {
        CommandRunner.Result r = run(List.of("nft", "list", "tables"), null);
        if (!r.ok()) {
            throw new TransportException("cannot list nftables tables: " + r.output());
        }
        List<String> removed = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            Matcher m = TABLE_LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            OptionalLong owner = RunName.pidOf(m.group(2));
            if (owner.isPresent() && !m.group(2).equals(table) && !pidAlive.test(owner.getAsLong())) {
                deleteTable(m.group(1), m.group(2));
                removed.add(m.group(1) + " " + m.group(2));
            }
        }
        return removed;
    }

    @Override
    public List<String> commandsFor(PacketFilter filter) {
        return List.of(
                "nft add table " + FAMILY + " " + table,
                "nft add chain " + FAMILY + " " + table + " " + CHAIN + " '{ type filter hook input priority " + PRIORITY + "; policy accept; }'",
                "nft add rule " + FAMILY + " " + table + " " + CHAIN + " " + String.join(" ", ruleTokens(filter)));
    }

    private CommandRunner.Result run(List<String> cmd, String stdin) throws TransportException {
        try {
            return runner.run(cmd, stdin);
        } catch (IOException e) {
            throw new TransportException("cannot run nft (" + e.getMessage() + "): install nftables, or pass --no-rules", e);
        }
    }
}
