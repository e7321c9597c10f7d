package io.rsock.packet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that works only on Linux: it reads {@code /proc}, binds a Linux-only libc call
 * ({@code recvmmsg}, {@code sendmmsg}, an ethtool ioctl) or opens a raw IP socket. The portable
 * packet path ({@link PacketPath#PORTABLE}) must never load one; a test runs that path and fails
 * if it did.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LinuxOnly {
}
