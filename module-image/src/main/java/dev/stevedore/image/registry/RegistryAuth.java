package dev.stevedore.image.registry;

import dev.stevedore.image.registry.auth.Credentials;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and authenticate to one registry host, from a task's {@code auths} entry: who logs in, apart
 * from how the connection is made. Built by name:
 * {@code RegistryAuth.of("harbor.local").withLogin("admin", password).withTransport(Transport.DEFAULT.withPlainHttp(true))}.
 *
 * @param registry  host[:port] as in image references; {@code docker.io} also matches its API host
 * @param login     the username and password, or null for anonymous (then the Docker config file may still
 *                  supply credentials); {@link Credentials#toString()} never shows the password
 * @param transport TLS and plain HTTP for this host
 */
public record RegistryAuth(String registry, Credentials login, Transport transport) {

    public RegistryAuth {
        Objects.requireNonNull(transport, "transport");
    }

    /**
     * How connections to one registry are made.
     *
     * @param skipTlsVerify null to inherit the task-wide setting
     * @param plainHttp     talk HTTP instead of HTTPS
     * @param caFile        extra CA certificates (PEM) to trust, or null
     * @param certFile      client certificate (PEM) for mutual TLS, or null
     * @param keyFile       client key for mutual TLS (PEM or DER: PKCS#8, PKCS#1, SEC1, encrypted PKCS#8), or null
     * @param keyPassword   the password of an encrypted key file, or null; never logged, {@link #toString()} redacts it
     */
    public record Transport(Boolean skipTlsVerify, boolean plainHttp, Path caFile, Path certFile, Path keyFile, String keyPassword) {

        /** Verified HTTPS with the JDK's trusted CAs, the task-wide {@code skip_tls_verify} deciding. */
        public static final Transport DEFAULT = new Transport(null, false, null, null, null, null);

        public Transport withSkipTlsVerify(Boolean skip) {
            return new Transport(skip, plainHttp, caFile, certFile, keyFile, keyPassword);
        }

        public Transport withPlainHttp(boolean plain) {
            return new Transport(skipTlsVerify, plain, caFile, certFile, keyFile, keyPassword);
        }

        public Transport withCaFile(Path file) {
            return new Transport(skipTlsVerify, plainHttp, file, certFile, keyFile, keyPassword);
        }

        /** Mutual TLS: the client certificate, its key, and the key's password when the key is encrypted (else null). */
        public Transport withClientCertificate(Path cert, Path key, String password) {
            return new Transport(skipTlsVerify, plainHttp, caFile, cert, key, password);
        }

        @Override
        public String toString() {
            return "Transport[skipTlsVerify=" + skipTlsVerify + ", plainHttp=" + plainHttp + ", caFile=" + caFile
                    + ", certFile=" + certFile + ", keyFile=" + keyFile
                    + ", keyPassword=" + (keyPassword == null ? "none" : "<redacted>") + "]";
        }
    }

    /** An entry for {@code registry}: anonymous, default transport. */
    public static RegistryAuth of(String registry) {
        return new RegistryAuth(registry, null, Transport.DEFAULT);
    }

    public static RegistryAuth basic(String registry, String username, String password) {
        return of(registry).withLogin(username, password);
    }

    /** This entry logging in as {@code username}; a null or empty username is anonymous, a null password empty. */
    public RegistryAuth withLogin(String username, String password) {
        Credentials credentials = username == null || username.isEmpty() ? null
                : new Credentials(username, password == null ? "" : password);
        return new RegistryAuth(registry, credentials, transport);
    }

    public RegistryAuth withTransport(Transport newTransport) {
        return new RegistryAuth(registry, login, newTransport);
    }

    /** The entry's own {@code skip_tls_verify}, overriding the task-wide one; null inherits it. */
    public RegistryAuth withSkipTlsVerify(Boolean skip) {
        return withTransport(transport.withSkipTlsVerify(skip));
    }

    public RegistryAuth withPlainHttp(boolean plain) {
        return withTransport(transport.withPlainHttp(plain));
    }

    /** The entry's username and password, if it gives them. */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(login);
    }
}
