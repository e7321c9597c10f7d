package io.rsock.api;

/** Which side of the tunnel this process is. */
public enum Role {
    CLIENT,
    SERVER
}
