package dev.stevedore.image.registry;

import java.nio.file.Path;

/**
 * How to reach and authenticate to one registry host, from a task's {@code auths} entry.
 *
 * @param registry      host[:port] as in image references; {@code docker.io} also matches its API host
 * @param username      null for anonymous (then the Docker config file may still supply credentials)
 * @param password      never logged; {@link #toString()} redacts it
 * @param skipTlsVerify null to inherit the task-wide setting
 * @param plainHttp     talk HTTP instead of HTTPS
 * @param caFile        extra CA certificates (PEM) to trust, or null
 * @param certFile      client certificate (PEM) for mutual TLS, or null
 * @param keyFile       client key for mutual TLS (PEM or DER: PKCS#8, PKCS#1, SEC1, encrypted PKCS#8), or null
 * @param keyPassword   the password of an encrypted key file, or null; never logged, {@link #toString()} redacts it
 */
public record RegistryAuth(String registry, String username, String password, Boolean skipTlsVerify,
                           boolean plainHttp, Path caFile, Path certFile, Path keyFile, String keyPassword) {

    /** An entry whose key file, if any, is not encrypted. */
    public RegistryAuth(String registry, String username, String password, Boolean skipTlsVerify,
                        boolean plainHttp, Path caFile, Path certFile, Path keyFile) {
        this(registry, username, password, skipTlsVerify, plainHttp, caFile, certFile, keyFile, null);
    }

    public static RegistryAuth basic(String registry, String username, String password) {
        return new RegistryAuth(registry, username, password, null, false, null, null, null);
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryAuth[registry=" + registry + ", username=" + username
                + ", password=" + (password == null ? "none" : "<redacted>") + ", skipTlsVerify=" + skipTlsVerify
                + ", plainHttp=" + plainHttp + ", caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
                + ", keyPassword=" + (keyPassword == null ? "none" : "<redacted>") + "]";
    }
}
