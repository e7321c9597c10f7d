/**
 * An example third-party transport, DNS ({@code --type dns}): frames in TXT queries and answers, built
 * from rsock's SDK alone.
 *
 * <p>Depends on rsock-api only, as any third party's plugin must; it lives outside the reactor and builds with its own POM.
 */
package org.example.rsock.dns;
