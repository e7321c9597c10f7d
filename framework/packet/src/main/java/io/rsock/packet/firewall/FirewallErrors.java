package io.rsock.packet.firewall;

import io.rsock.api.TransportException;

/** Failures of nft, iptables, pfctl and netsh turned into messages that say what to do. */
final class FirewallErrors {
    private FirewallErrors() {
    }

    static TransportException failed(String what, String output, String manualCommand) {
        String hint = output.contains("ermission denied") || output.contains("Operation not permitted")
                ? "; firewall rules need root or cap_net_admin, or pass --no-rules and add the rule yourself: " + manualCommand
                : "; or pass --no-rules and add the rule yourself: " + manualCommand;
        return new TransportException(what + ": " + output + hint);
    }

    static boolean isMissing(String output) {
        return output.contains("No such file or directory") || output.contains("does not exist")
                || output.contains("No chain/target/match by that name") || output.contains("Bad rule")
                || output.contains("No rules match the specified criteria"); // netsh, in English
    }
}
