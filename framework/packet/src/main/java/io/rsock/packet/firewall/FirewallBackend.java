package io.rsock.packet.firewall;

import io.rsock.api.TransportException;
import io.rsock.api.packet.PacketFilter;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * One way of installing rsock's drop rules (nftables, iptables, or printing them for the user).
 * Every rule lives in the run's own table or chain, named {@code rsock_<pid>}, so removing the run's
 * rules never touches anyone else's and a later run can tell a dead run's leftovers by the pid.
 */
public interface FirewallBackend {
    /** {@code "nftables"}, {@code "iptables"} or {@code "print-only"}. */
    String name();

    /** Installs a rule dropping inbound packets that match {@code filter}, creating the run's table first if needed. */
    InstalledRule install(PacketFilter filter) throws TransportException;

    /** Removes exactly one rule installed by {@link #install}. */
    void remove(InstalledRule rule) throws TransportException;

    /** Removes the run's table or chain with everything in it; nothing when there is none. */
    void removeAll() throws TransportException;

    /**
     * Removes tables or chains left by earlier runs whose pid is not alive.
     *
     * @return the names removed
     */
    List<String> removeStale(LongPredicate pidAlive) throws TransportException;

    /** The commands that install a rule for {@code filter}, as a user would type them. */
    List<String> commandsFor(PacketFilter filter);
}
