/**
 * Real servers for tests, started on free 127.0.0.1 ports and stopped by PID or socket close:
 * <ul>
 *   <li>{@link dev.stevedore.testsupport.RegistryServer}: the CNCF distribution registry (plain, TLS,
 *       mutual TLS, htpasswd Basic auth or token auth), restartable on the same port and storage;</li>
 *   <li>{@link dev.stevedore.testsupport.TestCertificates}: a test CA with server and client certificates
 *       made by openssl, and an unrelated CA;</li>
 *   <li>{@link dev.stevedore.testsupport.TokenServer}: the Docker token protocol with RS256 JWTs the
 *       registry verifies, with knobs for lifetime, clock skew and delay;</li>
 *   <li>{@link dev.stevedore.testsupport.FaultProxy}: a reverse proxy that scripts faults per request;</li>
 *   <li>{@link dev.stevedore.testsupport.LinkSimulator}: a TCP proxy that models a wide-area link (round
 *       trip and a rate shared by all connections), also run as a program by {@code bench/run.sh};</li>
 *   <li>{@link dev.stevedore.testsupport.HarborFront}: Harbor's project API and its refusal of pushes into
 *       missing projects, in front of the registry;</li>
 *   <li>{@link dev.stevedore.testsupport.PullLimitFront}: Docker Hub's pull-limit headers and 429s, and a
 *       limit on requests in flight, in front of the registry;</li>
 *   <li>{@link dev.stevedore.testsupport.HttpProxyServer}: a real forward proxy (tinyproxy) that records
 *       what it was asked for.</li>
 * </ul>
 * Everything is JDK-only and needs {@code docker-registry}, {@code openssl}, {@code htpasswd} and
 * {@code tinyproxy} on the PATH; {@link dev.stevedore.testsupport.Programs} fails a test that lacks one
 * with the command that installs it. Each server is {@link java.lang.AutoCloseable}: use try-with-resources.
 */
package dev.stevedore.testsupport;
