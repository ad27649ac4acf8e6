package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small Docker token server (the {@code realm} of a registry's Bearer challenge) on 127.0.0.1, issuing
 * real RS256 JWTs the real registry verifies: {@code GET /token?service=..&scope=..} with optional Basic
 * auth answers {@code {"token", "access_token", "expires_in", "issued_at"}}; {@code POST /token} takes the
 * OAuth2 refresh grant for identity tokens.
 *
 * <p>It exists so token authentication, scope upgrades and token expiry are tested end to end:
 * <pre>{@code
 * try (TokenServer tokens = TokenServer.builder().user("alice", "s3cret").allowAnonymousPull().start();
 *      RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
 *     ... pull anonymously, push as alice ...
 *     assertEquals(List.of("repository:app:pull,push"), tokens.requests().get(1).scopes());
 * }
 * }</pre>
 * Known users get every action they ask for; anonymous callers get {@code pull} only when allowed, else
 * a token with no access. A wrong password gets 401. The signing key's libtrust id is in the JWT
 * header {@code kid}; its certificate is {@link #rootCertBundle()}.
 */
public final class TokenServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Path workDir;
    private final TokenHandler handler;

    private TokenServer(HttpServer server, ExecutorService executor, Path workDir, TokenHandler handler) {
        this.server = server;
        this.executor = executor;
        this.workDir = workDir;
        this.handler = handler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Users, policy and token lifetime of one token server. */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String> refreshTokens = new LinkedHashMap<>();
        private boolean rotateRefreshTokens;
        private boolean anonymousPull;
        private Duration expiresIn = Duration.ofSeconds(300);
        private String service = "stevedore-test-registry";
        private String issuer = "stevedore-test-token-server";

        private Builder() {
        }

        /** A user who may pull and push (and delete) any repository. */
        public Builder user(String username, String password) {
            users.put(username, password);
            return this;
        }

        /**
         * An identity token (OAuth2 refresh token, what {@code docker login} stores for registries such as
         * Azure's) belonging to a user who may pull and push, exchanged by {@code POST} with
         * {@code grant_type=refresh_token}.
         */
        public Builder identityToken(String username, String refreshToken) {
            refreshTokens.put(refreshToken, username);
            return this;
        }

        /** Each refresh grant answers a new refresh token, and the one it was given stops working. */
        public Builder rotateRefreshTokens() {
            this.rotateRefreshTokens = true;
            return this;
        }

        /** Anonymous callers get pull on any repository (otherwise a token without access). */
        public Builder allowAnonymousPull() {
            this.anonymousPull = true;
            return this;
        }

        /**
         * Token lifetime, default 300 s: the JWT {@code exp} and the {@code expires_in} answered. The registry
         * honours a token until 60 s past {@code exp}.
         */
        public Builder expiresIn(Duration lifetime) {
            this.expiresIn = lifetime;
            return this;
        }

        /** The registry's service name (JWT {@code aud}), default {@code stevedore-test-registry}. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** The JWT {@code iss}, default {@code stevedore-test-token-server}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public TokenServer start() throws IOException {
            Path workDir = TempDirs.create("token-server");
            try {
                JwtSigner signer = JwtSigner.create(workDir);
                TokenHandler handler = new TokenHandler(signer, Map.copyOf(users), Map.copyOf(refreshTokens), rotateRefreshTokens, anonymousPull, service, issuer,
                        expiresIn, Clock.systemUTC());
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                // Threads per request, so a delayed answer does not hold up the others.
                ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "token-server");
                    thread.setDaemon(true);
                    return thread;
                });
                server.setExecutor(executor);
                server.createContext("/token", handler);
                server.start();
                return new TokenServer(server, executor, workDir, handler);
            } catch (IOException | RuntimeException e) {
                TempDirs.deleteRecursively(workDir);
                throw e;
            }
        }
    }

    /** {@code http://127.0.0.1:PORT/token}. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    public String service() {
        return handler.service();
    }

    public String issuer() {
        return handler.issuer();
    }

    /** The signing certificate (PEM), for the registry's {@code auth.token.rootcertbundle}. */
    public Path rootCertBundle() {
        return handler.signer().certificateFile();
    }

    /** Every request so far, oldest first (user names, never passwords). */
    public List<RecordedTokenRequest> requests() {
        return List.copyOf(handler.requests());
    }

    /** Every token (and rotated refresh token) issued so far, oldest first: tests check that none leaks into any output. */
    public List<String> issuedTokens() {
        return List.copyOf(handler.issued());
    }

    /**
     * Changes the lifetime of tokens issued from now on (token expiry tests). Note that distribution 2.8
     * accepts a token until 60 s after its {@code exp} (clock-skew leeway); to get a token refused at once,
     * see {@link #setClockSkew(Duration)}.
     */
    public void setExpiresIn(Duration lifetime) {
        handler.setExpiresIn(lifetime);
    }

    /** Delays every answer by {@code delay} (a slow token endpoint); zero for none. */
    public void setDelay(Duration delay) {
        handler.setDelay(delay);
    }

    /**
     * Shifts the times written into new JWTs ({@code iat}, {@code nbf}, {@code exp}) by {@code skew} while
     * {@code expires_in} still reports the full lifetime. A skew more negative than the lifetime plus 60 s
     * (e.g. minus 10 minutes with the default 300 s) makes tokens the client believes valid but the registry
     * rejects as expired at once: "token expired early".
     */
    public void setClockSkew(Duration skew) {
        handler.setClockSkew(skew);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        TempDirs.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "TokenServer[" + realm() + ", service " + service() + "]";
    }
}
