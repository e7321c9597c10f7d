package io.rsock.packet.firewall;

import com.sun.jna.Platform;
import io.rsock.api.TransportException;
import io.rsock.api.packet.Firewall;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link Firewall}: installs each transport's drop rule through one backend (nftables or
 * iptables on Linux, pf on macOS, netsh on Windows, or print-only for {@code --no-rules}) in the
 * run's own table, chain, anchor or rule names {@code rsock_<pid>}, and
 * takes them all out again: per registration, at {@link #closeAll()}, from a JVM shutdown hook
 * (normal exit, SIGINT, SIGTERM, and SIGUSR1 once the host maps it to an exit), and, for a run that
 * was killed, at the next start through {@link #removeStale()}. Installs and removals are logged
 * once each, never per packet.
 */
public final class FirewallManager implements Firewall, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FirewallManager.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Which backend {@link #create} uses. */
    public enum Backend {
        /** This system's: on Linux nftables when {@code nft} runs, else iptables; pf on macOS; netsh on Windows. */
        AUTO,
        NFTABLES,
        IPTABLES,
        /** macOS's pf, in an anchor of the run. */
        PF,
        /** Windows Defender Firewall through {@code netsh advfirewall}. */
        NETSH,
        /** {@code --no-rules}: print what to add in this system's syntax, install nothing. */
        PRINT_ONLY
    }

    private final FirewallBackend backend;
    private final List<FirewallBackend> staleSweepers;
    private final List<InstalledRule> installed = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::removeAllAtExit, "rsock-firewall-cleanup");
    private boolean hookRegistered;

    /**
     * @param backend where rules go
     * @param staleSweepers backends whose leftovers {@link #removeStale()} also clears (say, iptables
     *     chains of an earlier run when this one uses nftables)
     */
    public FirewallManager(FirewallBackend backend, List<FirewallBackend> staleSweepers) {
        this.backend = backend;
        this.staleSweepers = List.copyOf(staleSweepers);
    }

    /** A manager for this process, running the firewall tool ({@code nft}, {@code pfctl}, {@code netsh}...) as child processes. */
    public static FirewallManager create(Backend choice) throws TransportException {
        return create(choice, new ProcessCommandRunner());
    }

    /** Like {@link #create(Backend)} with the given way of running commands. */
    public static FirewallManager create(Backend choice, CommandRunner runner) throws TransportException {
        long pid = ProcessHandle.current().pid();
        String run = RunName.of(pid, INSTANCES.getAndIncrement());
        if (choice == Backend.PF || choice == Backend.NETSH) {
            return foreign(choice, runner, run);
        }
        if (!Platform.isLinux()) {
            Backend system = Platform.isMac() ? Backend.PF : Platform.isWindows() ? Backend.NETSH : null;
            if (system == null) {
                throw new TransportException("rsock knows no firewall of this system: pass --no-rules and keep the kernel from "
                        + "answering the tunnel's packets yourself");
            }
            FirewallManager m = foreign(system, runner, run);
            return choice == Backend.PRINT_ONLY ? new FirewallManager(new PrintOnlyBackend(m.backend), List.of()) : m;
        }
        boolean nft = runner.available("nft");
        boolean iptables = runner.available("iptables");
        NftablesBackend nftBackend = new NftablesBackend(runner, run, pid);
        IptablesBackend iptBackend = new IptablesBackend(runner, "iptables", runner.available("ip6tables") ? "ip6tables" : null, run);
        List<FirewallBackend> present = new ArrayList<>();
        if (nft) {
            present.add(nftBackend);
        }
        if (iptables) {
            present.add(iptBackend);
        }
        FirewallBackend chosen = switch (choice) {
            case AUTO -> {
                if (!nft && !iptables) {
                    throw new TransportException("neither nft nor iptables is installed: install nftables, "
                            + "or pass --no-rules and add the rules rsock prints yourself");
                }
                yield nft ? nftBackend : iptBackend;
            }
            case NFTABLES -> {
                if (!nft) {
                    throw new TransportException("nft is not installed (or not on PATH): install nftables or choose iptables");
                }
                yield nftBackend;
            }
            case IPTABLES -> {
                if (!iptables) {
                    throw new TransportException("iptables is not installed (or not on PATH): install it or choose nftables");
                }
                yield iptBackend;
            }
            case PRINT_ONLY -> new PrintOnlyBackend(nft || !iptables ? nftBackend : iptBackend);
            case PF, NETSH -> throw new IllegalStateException("handled above");
        };
        return new FirewallManager(chosen, choice == Backend.PRINT_ONLY ? List.of() : present);
    }

    /** pf or netsh, and the stale rules of earlier runs swept in the same syntax. */
    private static FirewallManager foreign(Backend which, CommandRunner runner, String run) {
        FirewallBackend b = which == Backend.PF ? new PfBackend(runner, run) : new NetshBackend(runner, run);
        return new FirewallManager(b, List.of(b));
    }

    /** {@code "nftables"}, {@code "iptables"}, {@code "pf"}, {@code "windows-firewall"} or {@code "print-only"}. */
    public String backendName() {
        return backend.name();
    }

    /**
     * {@inheritDoc}
     *
     * @throws TransportException also when the filter would drop a whole protocol from everyone
     *     (TCP or UDP without a local port or a remote address): that would cut the host off
     */
    @Override
    public synchronized Registration dropInbound(PacketFilter filter) throws TransportException {
        refuseLockout(filter);
        InstalledRule rule = backend.install(filter);
        installed.add(rule);
        registerHook();
        if (!(backend instanceof PrintOnlyBackend)) {
            log.info("firewall: dropping inbound {} before the kernel sees it ({})", describe(filter), backend.name());
        }
        return new RuleRegistration(rule);
    }

    private static void refuseLockout(PacketFilter f) throws TransportException {
        boolean echo = f.protocol() == PacketFilter.ICMP || f.protocol() == PacketFilter.ICMPV6;
        boolean portless = f.protocol() == PacketFilter.TCP || f.protocol() == PacketFilter.UDP ? f.localPort() == 0 : !echo;
        if (portless && f.remoteAddress() == null) {
            throw new TransportException("refusing to drop all inbound protocol " + f.protocol() + " traffic: give a local port or a remote address");
        }
    }

    /** The rules installed now. */
    public synchronized List<PacketFilter> installed() {
        return installed.stream().map(InstalledRule::filter).toList();
    }

    /** Removes every rule of this run (the whole table or chain). Safe to call again; rules may be added afterwards. */
    public synchronized void closeAll() {
        try {
            backend.removeAll();
            if (!installed.isEmpty() && !(backend instanceof PrintOnlyBackend)) {
                log.info("firewall: removed this run's {} rules ({})", installed.size(), backend.name());
            }
            installed.clear();
        } catch (TransportException e) {
            // The hook stays: the JVM's exit tries again (the next run's removeStale after that).
            log.error("firewall: could not remove this run's rules: {}", e.getMessage());
            return;
        }
        unregisterHook();
    }

    @Override
    public void close() {
        closeAll();
    }

    /**
     * Removes tables and chains of earlier runs whose process is gone (a {@code kill -9}, a crash).
     * Call at start, before installing rules.
     *
     * @return the names removed
     */
    public List<String> removeStale() {
        List<String> removed = new ArrayList<>();
        for (FirewallBackend b : staleSweepers) {
            try {
                for (String name : b.removeStale(FirewallManager::alive)) {
                    log.info("firewall: removed stale {} {} of a run that is gone", b.name(), name);
                    removed.add(name);
                }
            } catch (TransportException e) {
                log.warn("firewall: could not check for stale {} rules: {}", b.name(), e.getMessage());
            }
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void registerHook() {
        if (!hookRegistered && !(backend instanceof PrintOnlyBackend)) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
    }

    private void unregisterHook() {
        if (hookRegistered && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: our hook runs (or ran) anyway
            }
        }
        hookRegistered = false;
    }

    private void removeAllAtExit() {
        closeAll();
    }

    static String describe(PacketFilter f) {
        String proto = switch (f.protocol()) {
            case PacketFilter.TCP -> "tcp";
            case PacketFilter.UDP -> "udp";
            case PacketFilter.ICMP -> "icmp echo-request";
            case PacketFilter.ICMPV6 -> "icmpv6 echo-request";
            default -> "protocol " + f.protocol();
        };
        boolean echo = f.protocol() == PacketFilter.ICMP || f.protocol() == PacketFilter.ICMPV6;
        StringBuilder b = new StringBuilder(proto);
        if (f.localPort() != 0) {
            b.append(echo ? " id " : " to port ").append(f.localPort());
        }
        if (f.remoteAddress() != null) {
            b.append(" from ").append(f.remoteAddress().getHostAddress());
            if (f.remotePort() != 0 && !echo) {
                b.append(':').append(f.remotePort());
            }
        }
        return b.toString();
    }

    /** One installed rule; closing it removes exactly that rule. */
    private final class RuleRegistration implements Registration {
        private final InstalledRule rule;

        RuleRegistration(InstalledRule rule) {
            this.rule = rule;
        }

        @Override
        public void close() {
            synchronized (FirewallManager.this) {
                if (!installed.remove(rule)) {
                    return;
                }
                try {
                    backend.remove(rule);
                    if (!(backend instanceof PrintOnlyBackend)) {
                        log.info("firewall: no longer dropping inbound {}", describe(rule.filter()));
                    }
                } catch (TransportException e) {
                    log.warn("firewall: {} (it goes with the table when rsock exits)", e.getMessage());
                }
            }
        }
    }
}
