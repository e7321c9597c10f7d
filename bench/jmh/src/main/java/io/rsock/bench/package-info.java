/**
 * JMH benchmarks of the hot paths (frames, sessions, fake TCP, the whole path in memory). Figures go to
 * docs/performance.md with the command that produced them.
 *
 * <p>Nothing depends on this module; it may use any other.
 */
package io.rsock.bench;
