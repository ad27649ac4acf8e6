package dev.stevedore.image.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token protocol details a minimal token endpoint exercises: access_token, default lifetime, query. */
class TokenAuthenticatorTest {

    HttpServer server;
    final List<String> queries = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> forms = new CopyOnWriteArrayList<>();
    volatile Duration answerDelay = Duration.ZERO;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/token", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            forms.add(exchange.getRequestMethod() + " " + form);
            sleep(answerDelay);
            String rotated = form.isEmpty() ? "" : ",\"refresh_token\":\"r" + queries.size() + "\"";
            byte[] body = ("{\"access_token\":\"t" + queries.size() + "\"" + rotated + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HostCredentials hostCredentials;

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    AuthChallenge challenge(String... more) {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("realm", realm(), "service", "my registry"));
        for (int i = 0; i < more.length; i += 2) {
            parameters.put(more[i], more[i + 1]);
        }
        return new AuthChallenge("Bearer", parameters);
    }

    HostAuthContext host(Optional<Credentials> credentials) {
        hostCredentials = new HostCredentials(() -> credentials);
        return new HostAuthContext("example", hostCredentials, new DirectTokenTransport(Duration.ofSeconds(5)), clock);
    }

    TokenAuthenticator authenticator(Optional<Credentials> credentials) {
        return new TokenAuthenticator(host(credentials), challenge());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void accessTokenIsAcceptedAndWithoutExpiresInATokenLivesSixtySeconds() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        List<String> scopes = List.of("repository:a:pull");
        assertEquals("Bearer t1", tokens.authorization(scopes).orElseThrow());
        now = now.plusSeconds(50);
        assertEquals("Bearer t1", tokens.authorization(scopes).orElseThrow());
        now = now.plusSeconds(5); // within the last tenth of 60 s
        assertEquals("Bearer t2", tokens.authorization(scopes).orElseThrow());
    }

    @Test
    void serviceAndEveryScopeGoInTheQueryAndCredentialsAsBasic() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.of(new Credentials("kim", "pw")));
        tokens.authorization(List.of("repository:b:pull,push", "repository:a:pull"));
        assertEquals("service=my+registry&scope=repository%3Ab%3Apull%2Cpush&scope=repository%3Aa%3Apull", queries.get(0));
        assertTrue(authorizations.get(0).startsWith("Basic "));
    }

    @Test
    void tokensAreCachedPerScopeSetAndOneTheHostCallsInvalidIsFetchedAgainOnce() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        List<String> a = List.of("repository:a:pull");
        tokens.authorization(a);
        tokens.authorization(List.of("repository:b:pull"));
        tokens.authorization(a);
        assertEquals(2, queries.size());
        HostAuthContext context = host(Optional.empty());
        Authenticator.Answer expired = tokens.onChallenge(challenge("error", "invalid_token"), a, Optional.of("Bearer t1"), context);
        assertTrue(expired.retry());
        assertSame(tokens, expired.next());
        assertEquals("Bearer t3", tokens.authorization(a).orElseThrow());
        // A request that had carried t1 as well comes back: t3 has replaced it already, no third fetch.
        assertTrue(tokens.onChallenge(challenge("error", "invalid_token"), a, Optional.of("Bearer t1"), context).retry());
        assertEquals("Bearer t3", tokens.authorization(a).orElseThrow());
        assertEquals(3, queries.size());
    }

    @Test
    void aRefusalOfTheTokenJustIssuedForTheseScopesIsFinal() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        List<String> push = List.of("repository:a:pull,push");
        String sent = tokens.authorization(push).orElseThrow();
        Authenticator.Answer answer = tokens.onChallenge(challenge("scope", "repository:a:pull,push", "error", "insufficient_scope"),
                push, Optional.of(sent), host(Optional.empty()));
        assertFalse(answer.retry(), "another token for the same scopes would be refused the same way");
        assertEquals(1, queries.size());
    }

    @Test
    void theChallengesScopeWinsAndIsAskedForFromThenOn() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        List<String> needed = List.of("repository:pause:pull");
        String sent = tokens.authorization(needed).orElseThrow();
        Authenticator.Answer answer = tokens.onChallenge(challenge("scope", "repository:prod/images/pause:pull"), needed,
                Optional.of(sent), host(Optional.empty()));
        assertTrue(answer.retry());
        tokens.authorization(needed);
        assertEquals("service=my+registry&scope=repository%3Aprod%2Fimages%2Fpause%3Apull&scope=repository%3Apause%3Apull",
                queries.get(1));
        tokens.authorization(needed);
        assertEquals(2, queries.size(), "the wider token is cached for what the request needs");
    }

    @Test
    void requestsThatNeedATokenAtTheSameTimeShareOneFetch() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        answerDelay = Duration.ofMillis(300);
        ExecutorService threads = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(threads.submit(() -> tokens.authorization(List.of("repository:a:pull")).orElseThrow()));
            }
            for (Future<String> answer : answers) {
                assertEquals("Bearer t1", answer.get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, queries.size());
    }

    @Test
    void anIdentityTokenIsExchangedByTheRefreshGrantAndARotatedOneIsUsedFromThenOn() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.of(Credentials.identityToken("<token>", "refresh-0")));
        tokens.authorization(List.of("repository:a:pull"));
        tokens.authorization(List.of("repository:b:pull"));
        assertEquals("POST grant_type=refresh_token&service=my+registry&scope=repository%3Aa%3Apull&client_id=stevedore"
                + "&refresh_token=refresh-0", forms.get(0));
        assertTrue(forms.get(1).endsWith("&refresh_token=r1"), forms.get(1));
        assertEquals(List.of("null", "null"), authorizations, "no Basic header with a refresh grant");
        assertEquals("r2", hostCredentials.get().orElseThrow().secret());
    }
}
