package io.rsock.netlab;

/** The three namespaces of the test network. */
public enum Side {
    /** Where the app and {@code rsock client} run, behind the isp (NATed in the strict profile). */
    CLIENT("cli"),
    /** The router between them, where the ISP profile's firewall runs. */
    ISP("isp"),
    /** Where {@code rsock server} and the app's server run. */
    SERVER("srv"),
    /** A second server, for clients with several servers ({@code -t a,b}): failover tests. */
    SERVER2("sr2");

    private final String suffix;

    Side(String suffix) {
        this.suffix = suffix;
    }

    String suffix() {
        return suffix;
    }
}
