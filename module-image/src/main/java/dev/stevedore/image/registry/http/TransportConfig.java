package dev.stevedore.image.registry.http;

import java.nio.file.Path;

/**
 * What distinguishes one registry's connections from another's: registries with equal transport
 * settings share one HttpClient (and its connection pool).
 *
 * @param keyPassword the password of an encrypted {@code keyFile}, or null; {@link #toString()} never shows it
 */
public record TransportConfig(boolean plainHttp, boolean skipTlsVerify, Path caFile, Path certFile, Path keyFile, String keyPassword) {

    /** Without a key password: the key, if any, is not encrypted. */
    public TransportConfig(boolean plainHttp, boolean skipTlsVerify, Path caFile, Path certFile, Path keyFile) {
        this(plainHttp, skipTlsVerify, caFile, certFile, keyFile, null);
    }

    @Override
    public String toString() {
        return "TransportConfig[plainHttp=" + plainHttp + ", skipTlsVerify=" + skipTlsVerify + ", caFile=" + caFile + ", certFile="
                + certFile + ", keyFile=" + keyFile + ", keyPassword=" + (keyPassword == null ? "none" : "<redacted>") + "]";
    }
}
