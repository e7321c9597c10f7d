/**
 * The Linux system calls NIO does not make ({@code recvmmsg}, {@code sendmmsg}, UDP GSO), bound with
 * JNA direct mapping so that no call allocates.
 *
 * <p>Each falls back to the portable rsock-api implementation where its call is missing.
 */
package io.rsock.packet.sys;
