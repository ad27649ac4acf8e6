package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry}) on a free 127.0.0.1 port, with its
 * own storage folder, started as a child process from a generated {@code config.yml} and stopped by PID.
 *
 * <p>It exists so registry behaviour is tested against the real thing, not a mock. A test uses it as a
 * resource:
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.builder().tls().basicAuth("alice", "s3cret").start()) {
 *     String image = registry.hostPort() + "/library/busybox:1.36";
 *     ...
 * }
 * }</pre>
 * {@link #logFile()} holds the registry's output (access log included) for debugging a failed test.
 */
public final class RegistryServer implements AutoCloseable {
    private static final long STOP_GRACE_SECONDS = 5;

    private final Path workDir;
    private final Optional<TestCertificates> certificates;
    private final Map<String, String> env;
    private RegistryConfig config;
    private Process process;
    private Thread shutdownHook;

    private RegistryServer(Path workDir, Optional<TestCertificates> certificates, Map<String, String> env,
                           RegistryConfig config) {
        this.workDir = workDir;
        this.certificates = certificates;
        this.env = env;
        this.config = config;
    }

    /** A plain-HTTP, anonymous registry. */
    public static RegistryServer start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures and starts one registry; each option maps to one section of {@code config.yml}. */
    public static final class Builder {
        private boolean tls;
        private boolean mutualTls;
        private TestCertificates certificates;
        private String username;
        private String password;
        private TokenServer tokenServer;
        private URI realm;
        private Path storage;
        private int port;
        private final List<String> allowedManifestUrls = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {
        }

        /** TLS with a fresh test CA and a server certificate for 127.0.0.1 and localhost. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** TLS with the given certificates (share them with the client under test). */
        public Builder tls(TestCertificates certificates) {
            this.tls = true;
            this.certificates = certificates;
            return this;
        }

        /**
         * TLS that also requires a client certificate signed by the test CA ({@code http.tls.clientcas});
         * clients use {@link TestCertificates#clientContext()}. Implies {@link #tls()} unless certificates
         * were given.
         */
        public Builder mutualTls() {
            this.tls = true;
            this.mutualTls = true;
            return this;
        }

        /** htpasswd Basic auth with one user (bcrypt, made by {@code htpasswd -B}). */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Bearer-token auth: realm, service, issuer and root certificate bundle come from the token server. */
        public Builder tokenAuth(TokenServer tokenServer) {
            return tokenAuth(tokenServer, tokenServer.realm());
        }

        /**
         * Token auth whose challenge advertises {@code realm} instead of the token server's own, e.g. a
         * {@link FaultProxy} in front of the token server to script faults on the token endpoint.
         */
        public Builder tokenAuth(TokenServer tokenServer, URI realm) {
            this.tokenServer = tokenServer;
            this.realm = realm;
            return this;
        }

        /** Uses (and keeps) an existing storage folder, e.g. to start a second registry on the same data. */
        public Builder storage(Path directory) {
            this.storage = directory;
            return this;
        }

        /**
         * Accepts pushed manifests whose foreign or non-distributable layers list URLs matching one of the
         * regular expressions ({@code validation.manifests.urls.allow}). Without it the registry refuses
         * any manifest with layer URLs (distribution 2.8 answers HTTP 500 with {@code MANIFEST_BLOB_UNKNOWN}
         * naming the layer), as its documentation says: "If allow is unset, pushing a manifest containing
         * URLs fails".
         */
        public Builder allowManifestUrls(String... patterns) {
            allowedManifestUrls.addAll(List.of(patterns));
            return this;
        }

        /** A fixed port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Extra configuration as a {@code REGISTRY_*} environment variable, e.g. {@code REGISTRY_LOG_LEVEL}. */
        public Builder env(String name, String value) {
            if (!name.startsWith("REGISTRY_")) {
                throw new IllegalArgumentException("registry configuration variables start with REGISTRY_: " + name);
            }
            env.put(name, value);
            return this;
        }

        /** Starts the registry and waits until {@code /v2/} answers (any status), at most 20 s. */
        public RegistryServer start() throws IOException {
            if (username != null && tokenServer != null) {
                throw new IllegalStateException("choose basicAuth or tokenAuth: the registry runs one auth scheme");
            }
            Path workDir = TempDirs.create("registry");
            try {
                TestCertificates certs = certificates;
                if (tls && certs == null) {
                    certs = TestCertificates.create(workDir.resolve("certs"));
                }
                Path storageDir = storage != null ? storage : Files.createDirectories(workDir.resolve("storage"));
                Path htpasswd = username == null ? null : writeHtpasswd(workDir, username, password);
                RegistryConfig.TokenAuth token = tokenServer == null ? null : new RegistryConfig.TokenAuth(
                        realm, tokenServer.service(), tokenServer.issuer(), tokenServer.rootCertBundle());
                RegistryConfig config = new RegistryConfig(port, storageDir, randomSecret(),
                        certs == null ? null : certs.serverCertificate(), certs == null ? null : certs.serverKey(),
                        mutualTls ? certs.caCertificate() : null, htpasswd, token, allowedManifestUrls);
                RegistryServer server = new RegistryServer(workDir, Optional.ofNullable(certs), Map.copyOf(env),
                        config);
                server.launch(port != 0);
                return server;
            } catch (IOException | RuntimeException e) {
                TempDirs.deleteRecursively(workDir);
                throw e;
            }
        }

        private static Path writeHtpasswd(Path workDir, String username, String password) throws IOException {
            // -i reads the password from stdin, so it never shows up in a process listing.
            String line = Commands.run(workDir, password, List.of("htpasswd", "-Bin", username));
            return Files.writeString(workDir.resolve("htpasswd"), line);
        }

        private static String randomSecret() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** {@code 127.0.0.1:PORT}, what goes into image references. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public synchronized int port() {
        return config.port();
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create((isTls() ? "https://" : "http://") + hostPort());
    }

    public boolean isTls() {
        return certificates.isPresent();
    }

    /** Whether clients must present a certificate signed by the test CA. */
    public boolean isMutualTls() {
        return config.clientCa() != null;
    }

    public Optional<TestCertificates> certificates() {
        return certificates;
    }

    public Path storageDir() {
        return config.storage();
    }

    /** The registry's stdout and stderr (all starts appended), for debugging failed tests. */
    public Path logFile() {
        return workDir.resolve("registry.log");
    }

    /** SIGTERM, then SIGKILL after 5 s, by PID. Safe to call twice. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
        process = null;
    }

    /** Stops and starts again with the same port, storage and configuration (upload sessions survive). */
    public synchronized RegistryServer restart() throws IOException {
        stop();
        launch(true);
        return this;
    }

    /** Stops the registry and deletes the folders it created (not a storage folder it was given). */
    @Override
    public void close() {
        stop();
        // A storage folder given to the builder lives outside workDir, so it is kept.
        TempDirs.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "RegistryServer[" + baseUri() + ", storage " + storageDir() + "]";
    }

    private synchronized void launch(boolean fixedPort) throws IOException {
        SSLContext probeTls = certificates.map(certs -> config.clientCa() != null
                ? certs.clientContext() : certs.trustingContext()).orElse(null);
        RegistryLauncher launcher = new RegistryLauncher(workDir, logFile(), env, probeTls);
        for (int attempt = 1; ; attempt++) {
            RegistryConfig candidate = fixedPort ? config : config.withPort(FreePorts.find());
            try {
                process = launcher.launch(candidate);
                config = candidate;
                shutdownHook = new Thread(process::destroyForcibly, "stop docker-registry " + process.pid());
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                return;
            } catch (RegistryLauncher.PortTakenException e) {
                if (attempt >= (fixedPort ? 40 : 5)) {
                    throw new IOException("docker-registry could not bind " + candidate.port() + "; see " + logFile(), e);
                }
                if (fixedPort) {
                    sleepQuietly(500); // a restarted registry waits for the old socket to go away
                }
            }
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs anyway and the process is already gone.
            }
            shutdownHook = null;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
