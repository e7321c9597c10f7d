/**
 * Small allocation-free data structures for receive paths (a lock-free map from long keys).
 *
 * <p>Nothing outside the JDK.
 */
package io.rsock.api.util;
