package dev.stevedore.image.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens from the Docker token protocol: {@code GET realm?service=..&scope=..&scope=..}, with
 * Basic credentials when we have some, answering {@code token} or {@code access_token} and
 * {@code expires_in} (60 s when absent). Tokens are cached per set of scopes and refreshed shortly
 * before they expire, so a long pull never sends a stale one.
 */
public final class TokenAuthenticator implements Authenticator {

    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthChallenge challenge;
    private final Optional<Credentials> credentials;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;
    private final String registry;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public TokenAuthenticator(String registry, AuthChallenge challenge, Optional<Credentials> credentials,
                              HttpClient client, Duration timeout, Clock clock) {
        if (challenge.realm() == null || challenge.realm().isBlank()) {
            throw new IllegalArgumentException("the Bearer challenge of " + registry + " names no realm");
        }
        this.registry = registry;
        this.challenge = challenge;
        this.credentials = credentials;
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Optional<String> authorization(List<String> scopes) throws IOException {
        List<String> wanted = scopes.isEmpty() ? challenge.scopes() : scopes;
        String key = String.join(" ", new TreeSet<>(wanted));
        Token token = tokens.get(key);
        if (token == null || token.isStale(clock.instant())) {
            token = fetch(wanted);
            tokens.put(key, token);
        }
        return Optional.of("Bearer " + token.value());
    }

    @Override
    public void invalidate(List<String> scopes) {
        tokens.remove(String.join(" ", new TreeSet<>(scopes.isEmpty() ? challenge.scopes() : scopes)));
    }

    /** The URL a token is asked at; package-visible for tests. */
    URI tokenUri(List<String> scopes) {
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) {
            query.append("service=").append(encode(challenge.service()));
        }
        for (String scope : scopes) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
        }
        String realm = challenge.realm();
        return URI.create(query.length() == 0 ? realm : realm + (realm.contains("?") ? "&" : "?") + query);
    }

    private Token fetch(List<String> scopes) throws IOException {
        Instant requested = clock.instant();
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri(scopes)).GET().timeout(timeout);
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching a token for " + registry);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(1 << 20);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new RegistryException.Unauthorized("get a token for " + String.join(" ", scopes) + " from the token service of registry " + registry,
                    credentials.isPresent() ? " (credentials for user " + credentials.get().username() + " rejected)" : " (no credentials given)");
        }
        if (status != 200) {
            throw new RegistryException("the token service of registry " + registry + " answered HTTP " + status
                    + " when asked for " + String.join(" ", scopes)
                    + (status >= 500 || status == 429 ? ": it is failing or overloaded; try again later" : ""), status, null);
        }
        JsonNode json = JSON.readTree(body);
        String value = json.path("token").asText("");
        if (value.isEmpty()) {
            value = json.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw new RegistryException("the token service of registry " + registry + " answered without a token");
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        return new Token(value, requested.plus(lifetime), refreshMargin(lifetime));
    }

    /** Refresh a little early (a tenth of the lifetime, at most 30 s) so a token never expires in flight. */
    static Duration refreshMargin(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : tenth;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Token(String value, Instant expires, Duration margin) {
        boolean isStale(Instant now) {
            return !now.isBefore(expires.minus(margin));
        }

        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }

    @Override
    public String toString() {
        return "TokenAuthenticator[registry=" + registry + ", realm=" + challenge.realm() + "]";
    }
}
