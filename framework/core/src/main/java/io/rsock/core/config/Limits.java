package io.rsock.core.config;

/**
 * The bound of every table the host keeps, so that no input (a flood of new app flows, of spoofed
 * SYNs, of fragments) grows memory without limit. What a full table drops is counted, and logged
 * once per interval ({@link io.rsock.core.stats.LimitReport}), never per packet. The half-open
 * handshakes of fake TCP are bounded by the transport ({@code --opt tcp.half-open-limit}).
 *
 * @param maxSessions app flows held at once ({@code --max-sessions}); the least recently active go first
 * @param maxClients server: clients (client ids that authenticated) held at once ({@code --max-clients})
 * @param maxConns server: conns held at once, authenticated or not yet ({@code --max-conns})
 * @param maxConnsPerClient server: conns one client may hold ({@code --max-conns-per-client}); beyond, its
 *     least recently seen conn is closed
 * @param maxSessionsPerClient server: sessions one client may hold ({@code --max-sessions-per-client}); beyond,
 *     that client's least recently active go, so one client cannot take every slot
 * @param maxReassembly datagrams half reassembled at once ({@code --max-reassembly}), each up to 15
 *     fragments; the oldest goes first
 * @param maxNewSessions sessions created per second at most ({@code --max-new-sessions}), on each end:
 *     the datagram of a new flow beyond is dropped, so a flood of new flows cannot starve the flows that
 *     exist (opening and closing a socket per flow is what costs)
 */
public record Limits(int maxSessions, int maxClients, int maxConns, int maxConnsPerClient, int maxSessionsPerClient,
        int maxReassembly, int maxNewSessions) {
    public static final int DEFAULT_MAX_SESSIONS = 16384;
    public static final int DEFAULT_MAX_CLIENTS = 1024;
    public static final int DEFAULT_MAX_CONNS = 8192;
    public static final int DEFAULT_MAX_CONNS_PER_CLIENT = 256;
    public static final int DEFAULT_MAX_SESSIONS_PER_CLIENT = 8192;
    public static final int DEFAULT_MAX_REASSEMBLY = 256;
    public static final int DEFAULT_MAX_NEW_SESSIONS = 2000;

    public Limits {
        check("max-sessions", maxSessions);
        check("max-clients", maxClients);
        check("max-conns", maxConns);
        check("max-conns-per-client", maxConnsPerClient);
        check("max-sessions-per-client", maxSessionsPerClient);
        check("max-reassembly", maxReassembly);
        check("max-new-sessions", maxNewSessions);
    }

    /** Every default, with {@code maxSessions} sessions. */
    public static Limits withMaxSessions(int maxSessions) {
        return new Limits(maxSessions, DEFAULT_MAX_CLIENTS, DEFAULT_MAX_CONNS, DEFAULT_MAX_CONNS_PER_CLIENT,
                Math.min(maxSessions, DEFAULT_MAX_SESSIONS_PER_CLIENT), DEFAULT_MAX_REASSEMBLY, DEFAULT_MAX_NEW_SESSIONS);
    }

    public static Limits defaults() {
        return withMaxSessions(DEFAULT_MAX_SESSIONS);
    }

    private static void check(String flag, int value) {
        if (value < 1 || value > 1_000_000) {
            throw new UsageException("--" + flag + ": " + value + " is not between 1 and 1000000");
        }
    }
}
