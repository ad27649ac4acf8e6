/**
 * The HTTP transport below the registry client: one JDK {@code HttpClient} per transport setting, TLS from
 * PEM or DER files, proxies from the environment with their credentials, idle timeouts on bodies, and the
 * retry policy with {@code Retry-After}.
 */
package dev.stevedore.image.registry.http;
