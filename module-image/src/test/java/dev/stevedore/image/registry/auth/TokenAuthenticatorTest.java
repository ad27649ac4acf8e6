package dev.stevedore.image.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token protocol details a minimal token endpoint exercises: access_token, default lifetime, query. */
class TokenAuthenticatorTest {

    HttpServer server;
    final List<String> queries = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
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
        server.createContext("/token", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = ("{\"access_token\":\"t" + queries.size() + "\"}").getBytes(StandardCharsets.UTF_8);
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

    TokenAuthenticator authenticator(Optional<Credentials> credentials) {
        String realm = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        AuthChallenge challenge = new AuthChallenge("Bearer", Map.of("realm", realm, "service", "my registry"));
        return new TokenAuthenticator("example", challenge, credentials, HttpClient.newHttpClient(), Duration.ofSeconds(5), clock);
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
    void tokensAreCachedPerScopeSetAndInvalidatedOnDemand() throws Exception {
        TokenAuthenticator tokens = authenticator(Optional.empty());
        tokens.authorization(List.of("repository:a:pull"));
        tokens.authorization(List.of("repository:b:pull"));
        tokens.authorization(List.of("repository:a:pull"));
        assertEquals(2, queries.size());
        tokens.invalidate(List.of("repository:a:pull"));
        tokens.authorization(List.of("repository:a:pull"));
        assertEquals(3, queries.size());
    }
}
