/**
 * An in-memory packet network that allocates nothing per packet, so that what a benchmark's
 * allocation profile shows is the production code's.
 *
 * <p>Nothing depends on this package.
 */
package io.rsock.bench.mem;
