package dev.stevedore.image.registry.http;

import java.nio.file.Path;

/**
 * What distinguishes one registry's connections from another's: registries with equal transport
 * settings share one HttpClient (and its connection pool).
 */
public record TransportConfig(boolean plainHttp, boolean skipTlsVerify, Path caFile, Path certFile, Path keyFile) {
}
